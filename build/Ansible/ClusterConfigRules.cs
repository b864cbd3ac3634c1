using YamlDotNet.RepresentationModel;
using static Platform.Build.Core.Yaml.YamlPath;
using Platform.Build.Core.Audit;

namespace Platform.Build.Ansible;

/// <summary>
/// A CIS Kubernetes Benchmark (kube-bench cis-1.12 numbering) item that the
/// rendered kubeadm configuration shows offline: the effective value of one
/// flag of a control-plane component (kubeadm's default unless extraArgs set
/// it) or one KubeletConfiguration field, the test it must pass, and the value
/// a careless operator would set that it must catch (the test's attack).
/// </summary>
public sealed record ConfigItem(string Id, string Cis, string Title, Severity Severity, string Component, string Key, Func<string?, bool> Holds, string Fix, string Attack)
{
    /// <summary>A kubelet field's command-line flag: set in nodeRegistration.kubeletExtraArgs, it wins over the config file.</summary>
    public string? Flag => ClusterConfigRules.KubeletFlags.GetValueOrDefault(Key);
}

/// <summary>
/// One environment's cluster configuration as the control-plane role renders it (with that
/// inventory's group_vars), and the kubelet flags the worker role gives its nodes.
/// </summary>
public sealed record ClusterConfig(string Environment, IReadOnlyList<YamlMappingNode> Kubeadm, YamlMappingNode? Encryption, YamlMappingNode? AuditPolicy,
    IReadOnlyDictionary<string, string> WorkerFlags, SourceLocation? WorkerFlagsAt);

/// <summary>
/// The audit's rules over the cluster configuration the control-plane role
/// renders (kubeadm-config.yaml, encryption-config.yaml, audit-policy.yaml):
/// the kube-bench items for the API server (1.2), controller manager (1.3),
/// scheduler (1.4), etcd (2), audit (3.2) and kubelet (4.2) that a file can
/// show. File permissions and running processes are kube-bench's to check on
/// the hosts (the live run), not this offline set's.
/// </summary>
public static class ClusterConfigRules
{
    public const string Template = "ansible/roles/k8s-control-plane/templates/kubeadm-config.yaml.j2";

    /// <summary>The flags kubeadm 1.32 writes into the static pod manifests when extraArgs say nothing (kubeadm's controlplane and etcd phases).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> KubeadmDefaults = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["apiServer"] = new Dictionary<string, string>
        {
            ["authorization-mode"] = "Node,RBAC", ["client-ca-file"] = "/etc/kubernetes/pki/ca.crt", ["enable-admission-plugins"] = "NodeRestriction",
            ["enable-bootstrap-token-auth"] = "true", ["etcd-cafile"] = "/etc/kubernetes/pki/etcd/ca.crt",
            ["etcd-certfile"] = "/etc/kubernetes/pki/apiserver-etcd-client.crt", ["etcd-keyfile"] = "/etc/kubernetes/pki/apiserver-etcd-client.key",
            ["kubelet-client-certificate"] = "/etc/kubernetes/pki/apiserver-kubelet-client.crt", ["kubelet-client-key"] = "/etc/kubernetes/pki/apiserver-kubelet-client.key",
            ["service-account-key-file"] = "/etc/kubernetes/pki/sa.pub", ["service-account-signing-key-file"] = "/etc/kubernetes/pki/sa.key",
            ["tls-cert-file"] = "/etc/kubernetes/pki/apiserver.crt", ["tls-private-key-file"] = "/etc/kubernetes/pki/apiserver.key", ["secure-port"] = "6443",
        },
        ["controllerManager"] = new Dictionary<string, string>
        {
            ["bind-address"] = "127.0.0.1", ["root-ca-file"] = "/etc/kubernetes/pki/ca.crt", ["service-account-private-key-file"] = "/etc/kubernetes/pki/sa.key",
            ["use-service-account-credentials"] = "true", ["cluster-signing-cert-file"] = "/etc/kubernetes/pki/ca.crt", ["leader-elect"] = "true",
        },
        ["scheduler"] = new Dictionary<string, string> { ["bind-address"] = "127.0.0.1", ["leader-elect"] = "true" },
        ["etcd"] = new Dictionary<string, string>
        {
            ["cert-file"] = "/etc/kubernetes/pki/etcd/server.crt", ["key-file"] = "/etc/kubernetes/pki/etcd/server.key", ["client-cert-auth"] = "true",
            ["peer-cert-file"] = "/etc/kubernetes/pki/etcd/peer.crt", ["peer-key-file"] = "/etc/kubernetes/pki/etcd/peer.key", ["peer-client-cert-auth"] = "true",
            ["trusted-ca-file"] = "/etc/kubernetes/pki/etcd/ca.crt", ["peer-trusted-ca-file"] = "/etc/kubernetes/pki/etcd/ca.crt",
        },
        // KubeletConfiguration fields: the kubelet's defaults, and what kubeadm sets in the config it writes.
        ["kubelet"] = new Dictionary<string, string>
        {
            ["authentication.anonymous.enabled"] = "false", ["authentication.webhook.enabled"] = "true", ["authorization.mode"] = "Webhook",
            ["authentication.x509.clientCAFile"] = "/etc/kubernetes/pki/ca.crt", ["readOnlyPort"] = "0", ["streamingConnectionIdleTimeout"] = "4h0m0s",
            ["makeIPTablesUtilChains"] = "true", ["eventRecordQPS"] = "50", ["rotateCertificates"] = "true", ["protectKernelDefaults"] = "false",
            ["serverTLSBootstrap"] = "false", ["podPidsLimit"] = "-1",
        },
    };

    /// <summary>Flags whose values add up when given more than once.</summary>
    private static readonly HashSet<string> ListFlags = ["authorization-mode", "enable-admission-plugins", "disable-admission-plugins", "tls-cipher-suites", "feature-gates"];

    /// <summary>The kubelet flags that override the KubeletConfiguration fields the rules read.</summary>
    public static readonly IReadOnlyDictionary<string, string> KubeletFlags = new Dictionary<string, string>
    {
        ["authentication.anonymous.enabled"] = "anonymous-auth", ["authorization.mode"] = "authorization-mode", ["authentication.x509.clientCAFile"] = "client-ca-file",
        ["readOnlyPort"] = "read-only-port", ["streamingConnectionIdleTimeout"] = "streaming-connection-idle-timeout", ["protectKernelDefaults"] = "protect-kernel-defaults",
        ["makeIPTablesUtilChains"] = "make-iptables-util-chains", ["eventRecordQPS"] = "event-qps", ["rotateCertificates"] = "rotate-certificates",
        ["tlsCipherSuites"] = "tls-cipher-suites", ["podPidsLimit"] = "pod-max-pids", ["authentication.webhook.enabled"] = "authentication-token-webhook",
        ["tlsMinVersion"] = "tls-min-version", ["serverTLSBootstrap"] = "rotate-server-certificates",
    };

    private static bool Set(string? v) => !string.IsNullOrWhiteSpace(v);

    // Go's strconv.ParseBool, which the components' flags and kubeadm's extraArgs go through: "1", "t", "T", "TRUE", "true", "True".
    private static bool True(string? v) => v is "1" or "t" or "T" or "TRUE" or "true" or "True";

    private static bool False(string? v) => v is "0" or "f" or "F" or "FALSE" or "false" or "False";

    private static bool Not(string? v, string bad) => bad == "true" ? !True(v) : bad == "false" ? !False(v) : !string.Equals(v, bad, StringComparison.OrdinalIgnoreCase);

    private static bool AtLeast(string? v, int floor) => int.TryParse(v, out var n) && n >= floor;

    private static IEnumerable<string> List(string? v) => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Has(string? v, string item) => List(v).Contains(item);

    private static bool Strong(string? v) => Set(v) && List(v).All(TemplateChecks.StrongCiphers.Contains);

    private static ConfigItem A(string id, string cis, string title, Severity s, string key, Func<string?, bool> holds, string fix, string attack) => new(id, cis, title, s, "apiServer", key, holds, fix, attack);

    public static readonly IReadOnlyList<ConfigItem> Items =
    [
        A("CIS-1.2.1", "1.2.1", "The API server refuses anonymous requests (the health endpoints aside)", Severity.High, "anonymous-auth", v => Not(v, "true"), "remove anonymous-auth; allow anonymous only on /livez, /readyz, /healthz in authentication-config", "true"),
        A("CIS-1.2.2", "1.2.2", "The API server takes no static token file", Severity.High, "token-auth-file", v => !Set(v), "remove token-auth-file", "/etc/kubernetes/tokens.csv"),
        A("CIS-1.2.3", "1.2.3", "DenyServiceExternalIPs is enabled", Severity.Medium, "enable-admission-plugins", v => Has(v, "DenyServiceExternalIPs"), "add DenyServiceExternalIPs to enable-admission-plugins", "NodeRestriction"),
        A("CIS-1.2.4a", "1.2.4", "The API server authenticates to kubelets with a client certificate", Severity.High, "kubelet-client-certificate", Set, "leave kubelet-client-certificate to kubeadm", ""),
        A("CIS-1.2.4b", "1.2.4", "The API server has the kubelet client key", Severity.High, "kubelet-client-key", Set, "leave kubelet-client-key to kubeadm", ""),
        A("CIS-1.2.5", "1.2.5", "The API server verifies kubelets' serving certificates", Severity.High, "kubelet-certificate-authority", Set, "set kubelet-certificate-authority to the cluster CA (with serverTLSBootstrap)", ""),
        A("CIS-1.2.6", "1.2.6", "Authorization is not AlwaysAllow", Severity.Critical, "authorization-mode", v => !Has(v, "AlwaysAllow"), "use Node,RBAC", "AlwaysAllow"),
        A("CIS-1.2.7", "1.2.7", "Authorization includes Node", Severity.High, "authorization-mode", v => Has(v, "Node"), "use Node,RBAC", "RBAC"),
        A("CIS-1.2.8", "1.2.8", "Authorization includes RBAC", Severity.High, "authorization-mode", v => Has(v, "RBAC"), "use Node,RBAC", "Node"),
        A("CIS-1.2.9", "1.2.9", "EventRateLimit admission is enabled", Severity.Medium, "enable-admission-plugins", v => Has(v, "EventRateLimit"), "add EventRateLimit with its admission-control-config-file", "NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs"),
        A("CIS-1.2.10", "1.2.10", "AlwaysAdmit admission is not enabled", Severity.High, "enable-admission-plugins", v => !Has(v, "AlwaysAdmit"), "remove AlwaysAdmit", "NodeRestriction,AlwaysAdmit,AlwaysPullImages,EventRateLimit,DenyServiceExternalIPs"),
        A("CIS-1.2.11", "1.2.11", "AlwaysPullImages admission is enabled (no tenant runs another's cached image)", Severity.High, "enable-admission-plugins", v => Has(v, "AlwaysPullImages"), "add AlwaysPullImages", "NodeRestriction,EventRateLimit,DenyServiceExternalIPs"),
        A("CIS-1.2.12", "1.2.12", "ServiceAccount admission is not disabled", Severity.Medium, "disable-admission-plugins", v => !Has(v, "ServiceAccount"), "remove ServiceAccount from disable-admission-plugins", "ServiceAccount"),
        A("CIS-1.2.13", "1.2.13", "NamespaceLifecycle admission is not disabled", Severity.Medium, "disable-admission-plugins", v => !Has(v, "NamespaceLifecycle"), "remove NamespaceLifecycle from disable-admission-plugins", "NamespaceLifecycle"),
        A("CIS-1.2.14", "1.2.14", "NodeRestriction admission is enabled", Severity.High, "enable-admission-plugins", v => Has(v, "NodeRestriction"), "add NodeRestriction", "AlwaysPullImages,EventRateLimit,DenyServiceExternalIPs"),
        A("CIS-1.2.15", "1.2.15", "API server profiling is off", Severity.Low, "profiling", v => False(v), "set profiling to false", "true"),
        A("CIS-1.2.16", "1.2.16", "The API server writes an audit log", Severity.High, "audit-log-path", Set, "set audit-log-path", ""),
        A("CIS-1.2.17", "1.2.17", "Audit logs are kept 30 days or more", Severity.Medium, "audit-log-maxage", v => AtLeast(v, 30), "set audit-log-maxage to 30 or more", "7"),
        A("CIS-1.2.18", "1.2.18", "10 or more audit log files are kept", Severity.Medium, "audit-log-maxbackup", v => AtLeast(v, 10), "set audit-log-maxbackup to 10 or more", "2"),
        A("CIS-1.2.19", "1.2.19", "Audit log files rotate at 100 MB or more", Severity.Low, "audit-log-maxsize", v => AtLeast(v, 100), "set audit-log-maxsize to 100 or more", "10"),
        A("CIS-1.2.20", "1.2.20", "Requests time out within five minutes", Severity.Low, "request-timeout", v => !Set(v) || (TimeSpanOf(v) is { } t && t <= TimeSpan.FromMinutes(5)), "leave request-timeout at its default (60s) or at most 5m", "1h"),
        A("CIS-1.2.21", "1.2.21", "Service account tokens are looked up (a deleted account's token stops working)", Severity.High, "service-account-lookup", v => Not(v, "false"), "remove service-account-lookup=false", "false"),
        A("CIS-1.2.22", "1.2.22", "The API server verifies service account tokens with a key file", Severity.High, "service-account-key-file", Set, "leave service-account-key-file to kubeadm", ""),
        A("CIS-1.2.23a", "1.2.23", "The API server authenticates to etcd with a client certificate", Severity.High, "etcd-certfile", Set, "leave etcd-certfile to kubeadm", ""),
        A("CIS-1.2.23b", "1.2.23", "The API server has its etcd client key", Severity.High, "etcd-keyfile", Set, "leave etcd-keyfile to kubeadm", ""),
        A("CIS-1.2.24", "1.2.24", "The API server serves TLS with its certificate", Severity.High, "tls-cert-file", Set, "leave tls-cert-file to kubeadm", ""),
        A("CIS-1.2.25", "1.2.25", "The API server verifies client certificates against the cluster CA", Severity.High, "client-ca-file", Set, "leave client-ca-file to kubeadm", ""),
        A("CIS-1.2.26", "1.2.26", "The API server verifies etcd's certificate", Severity.High, "etcd-cafile", Set, "leave etcd-cafile to kubeadm", ""),
        A("CIS-1.2.27", "1.2.27", "Secrets are encrypted at rest (encryption-provider-config)", Severity.High, "encryption-provider-config", Set, "set encryption-provider-config", ""),
        A("CIS-1.2.29", "1.2.29", "The API server offers only strong TLS cipher suites", Severity.Medium, "tls-cipher-suites", Strong, "list only ECDHE suites with AES-GCM or ChaCha20-Poly1305", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
        A("K8S-API-001", string.Empty, "The API server accepts TLS 1.2 or newer only", Severity.Medium, "tls-min-version", v => v is "VersionTLS12" or "VersionTLS13", "set tls-min-version to VersionTLS12", "VersionTLS10"),
        A("K8S-API-002", string.Empty, "The API server serves no insecure or unauthenticated ports", Severity.Critical, "insecure-port", v => !Set(v) || v == "0", "remove insecure-port", "8080"),
        new("CIS-1.3.1", "1.3.1", "Terminated pods are garbage-collected", Severity.Low, "controllerManager", "terminated-pod-gc-threshold", v => AtLeast(v, 1), "set terminated-pod-gc-threshold (1000)", "0"),
        new("CIS-1.3.2", "1.3.2", "Controller manager profiling is off", Severity.Low, "controllerManager", "profiling", v => False(v), "set profiling to false", "true"),
        new("CIS-1.3.3", "1.3.3", "Controllers use their own service account credentials", Severity.High, "controllerManager", "use-service-account-credentials", v => True(v), "leave use-service-account-credentials to kubeadm (true)", "false"),
        new("CIS-1.3.4", "1.3.4", "The controller manager signs service account tokens with a private key", Severity.High, "controllerManager", "service-account-private-key-file", Set, "leave service-account-private-key-file to kubeadm", ""),
        new("CIS-1.3.5", "1.3.5", "The controller manager hands pods the cluster's root CA", Severity.Medium, "controllerManager", "root-ca-file", Set, "leave root-ca-file to kubeadm", ""),
        new("CIS-1.3.6", "1.3.6", "Kubelet serving certificates rotate (RotateKubeletServerCertificate is not off)", Severity.Medium, "controllerManager", "feature-gates", v => !List(v).Contains("RotateKubeletServerCertificate=false"), "remove RotateKubeletServerCertificate=false", "RotateKubeletServerCertificate=false"),
        new("CIS-1.3.7", "1.3.7", "The controller manager listens on loopback only", Severity.High, "controllerManager", "bind-address", v => v == "127.0.0.1", "leave bind-address at 127.0.0.1", "0.0.0.0"),
        new("CIS-1.4.1", "1.4.1", "Scheduler profiling is off", Severity.Low, "scheduler", "profiling", v => False(v), "set profiling to false", "true"),
        new("CIS-1.4.2", "1.4.2", "The scheduler listens on loopback only", Severity.High, "scheduler", "bind-address", v => v == "127.0.0.1", "leave bind-address at 127.0.0.1", "0.0.0.0"),
        new("CIS-2.1a", "2.1", "etcd serves clients over TLS with its certificate", Severity.Critical, "etcd", "cert-file", Set, "leave cert-file to kubeadm", ""),
        new("CIS-2.1b", "2.1", "etcd has its serving key", Severity.Critical, "etcd", "key-file", Set, "leave key-file to kubeadm", ""),
        new("CIS-2.2", "2.2", "etcd requires client certificates", Severity.Critical, "etcd", "client-cert-auth", v => True(v), "leave client-cert-auth to kubeadm (true)", "false"),
        new("CIS-2.3", "2.3", "etcd uses no self-signed automatic TLS for clients", Severity.High, "etcd", "auto-tls", v => Not(v, "true"), "remove auto-tls", "true"),
        new("CIS-2.4a", "2.4", "etcd peers talk TLS with their certificate", Severity.Critical, "etcd", "peer-cert-file", Set, "leave peer-cert-file to kubeadm", ""),
        new("CIS-2.4b", "2.4", "etcd has its peer key", Severity.Critical, "etcd", "peer-key-file", Set, "leave peer-key-file to kubeadm", ""),
        new("CIS-2.5", "2.5", "etcd peers require client certificates", Severity.Critical, "etcd", "peer-client-cert-auth", v => True(v), "leave peer-client-cert-auth to kubeadm (true)", "false"),
        new("CIS-2.6", "2.6", "etcd uses no self-signed automatic TLS for peers", Severity.High, "etcd", "peer-auto-tls", v => Not(v, "true"), "remove peer-auto-tls", "true"),
        new("CIS-2.7", "2.7", "etcd trusts its own CA, not the cluster's", Severity.High, "etcd", "trusted-ca-file", v => Set(v) && v != "/etc/kubernetes/pki/ca.crt", "leave trusted-ca-file at kubeadm's etcd CA", "/etc/kubernetes/pki/ca.crt"),
        new("CIS-4.2.1", "4.2.1", "The kubelet refuses anonymous requests", Severity.Critical, "kubelet", "authentication.anonymous.enabled", v => False(v), "set authentication.anonymous.enabled: false", "true"),
        new("CIS-4.2.2", "4.2.2", "The kubelet authorizes through the API server (not AlwaysAllow)", Severity.Critical, "kubelet", "authorization.mode", v => v == "Webhook", "set authorization.mode: Webhook", "AlwaysAllow"),
        new("CIS-4.2.3", "4.2.3", "The kubelet verifies client certificates against the cluster CA", Severity.High, "kubelet", "authentication.x509.clientCAFile", Set, "leave authentication.x509.clientCAFile to kubeadm", ""),
        new("CIS-4.2.4", "4.2.4", "The kubelet has no read-only port", Severity.High, "kubelet", "readOnlyPort", v => v == "0", "set readOnlyPort: 0", "10255"),
        new("CIS-4.2.5", "4.2.5", "Idle streaming connections time out", Severity.Low, "kubelet", "streamingConnectionIdleTimeout", v => TimeSpanOf(v) is { } t && t > TimeSpan.Zero, "leave streamingConnectionIdleTimeout at 4h or less, never 0", "0s"),
        new("K8S-KUBELET-003", string.Empty, "The kubelet checks the kernel settings instead of changing them (CIS 1.7 4.2.6)", Severity.Medium, "kubelet", "protectKernelDefaults", v => True(v), "set protectKernelDefaults: true", "false"),
        new("CIS-4.2.6", "4.2.6", "The kubelet manages its iptables chains", Severity.Low, "kubelet", "makeIPTablesUtilChains", v => True(v), "leave makeIPTablesUtilChains true", "false"),
        new("CIS-4.2.8", "4.2.8", "The kubelet records events (eventRecordQPS above 0)", Severity.Low, "kubelet", "eventRecordQPS", v => AtLeast(v, 1), "leave eventRecordQPS at its default (50)", "0"),
        new("CIS-4.2.11", "4.2.11", "The kubelet serves certificates the API server can verify (serving certificates rotate)", Severity.High, "kubelet", "serverTLSBootstrap", v => True(v), "set serverTLSBootstrap: true (approve the CSRs)", "false"),
        new("CIS-4.2.10", "4.2.10", "Kubelet client certificates rotate", Severity.Medium, "kubelet", "rotateCertificates", v => True(v), "set rotateCertificates: true", "false"),
        new("CIS-4.2.12", "4.2.12", "The kubelet offers only strong TLS cipher suites", Severity.Medium, "kubelet", "tlsCipherSuites", Strong, "list only ECDHE suites with AES-GCM or ChaCha20-Poly1305", "TLS_RSA_WITH_AES_128_CBC_SHA"),
        new("CIS-4.2.13", "4.2.13", "Pods have a PID limit (no fork bomb takes the node)", Severity.Medium, "kubelet", "podPidsLimit", v => AtLeast(v, 1), "set podPidsLimit (4096)", "-1"),
        new("K8S-KUBELET-001", string.Empty, "The kubelet authenticates API requests with the API server's webhook", Severity.High, "kubelet", "authentication.webhook.enabled", v => True(v), "set authentication.webhook.enabled: true", "false"),
        new("CIS-4.2.7", "4.2.7", "The kubelet keeps its own hostname (no hostname-override)", Severity.Low, "kubeletArgs", "hostname-override", v => !Set(v), "remove hostname-override from kubeletExtraArgs", "node-1"),
        new("K8S-KUBELET-002", string.Empty, "The kubelet accepts TLS 1.2 or newer only", Severity.Medium, "kubelet", "tlsMinVersion", v => v is "VersionTLS12" or "VersionTLS13", "set tlsMinVersion: VersionTLS12", "VersionTLS10"),
    ];

    /// <summary>The rules whose check is not one value: encryption providers and the audit policy.</summary>
    public static readonly IReadOnlyList<Rule> FileRules =
    [
        new("CIS-1.2.28", "Secrets are encrypted with a real provider first (aescbc, aesgcm, secretbox or kms), never identity", Severity.High, AuditSource.ClusterConfig, "put secretbox (or kms v2) first in encryption-config.yaml", "kube-bench:1.2.28"),
        new("CIS-3.2.1", "An audit policy is set and records requests", Severity.High, AuditSource.ClusterConfig, "set audit-policy-file to a Policy with rules", "kube-bench:3.2.1"),
        new("CIS-3.2.2", "The audit policy never records Secret or token bodies, and logs everything else", Severity.Medium, AuditSource.ClusterConfig, "log secrets, configmaps and tokenreviews at Metadata, and end with a catch-all rule", "kube-bench:3.2.2"),
    ];

    public static IReadOnlyList<Rule> Rules =>
    [
        .. Items.Select(i => new Rule(i.Id, i.Title, i.Severity, AuditSource.ClusterConfig, i.Fix, i.Cis.Length > 0 ? [$"kube-bench:{i.Cis}"] : [])),
        .. FileRules,
    ];

    /// <summary>The rule set over the rendered kubeadm configuration, encryption configuration and audit policy.</summary>
    public static RuleSet For(IReadOnlyList<ClusterConfig> configs, SourceIndex sources) =>
        new("cluster-config", Rules, () => configs.SelectMany(c => Check(c, sources)));

    /// <summary>The kubelet flags a line like KUBELET_EXTRA_ARGS=--a=b --c=d sets.</summary>
    public static IReadOnlyDictionary<string, string> Flags(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"--([a-z0-9-]+)(?:=(""[^""]*""|\S*))?")
            .GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Last().Groups[2].Success ? g.Last().Groups[2].Value.Trim('"') : "true");

    /// <summary>The effective value of an item: the last extraArgs entry, or the field, else kubeadm's default.</summary>
    public static string? Effective(IReadOnlyList<YamlMappingNode> kubeadm, string component, string key, IReadOnlyDictionary<string, string>? nodeFlags = null)
    {
        // A node's own kubelet flags (the workers' /etc/default/kubelet) win over everything kubeadm writes.
        if (nodeFlags is not null && (component == "kubeletArgs" ? key : component == "kubelet" ? KubeletFlags.GetValueOrDefault(key) : null) is { } own
            && nodeFlags.TryGetValue(own, out var mine))
        {
            return mine;
        }

        // Command-line flags of the kubelet (InitConfiguration's nodeRegistration.kubeletExtraArgs) win over its config file.
        var flags = kubeadm.Where(d => Scalar(d, "kind") is "InitConfiguration" or "JoinConfiguration")
            .Select(d => At(d, "nodeRegistration", "kubeletExtraArgs")).OfType<YamlSequenceNode>()
            .SelectMany(l => l.Children.OfType<YamlMappingNode>()).ToList();
        string? Flag(string name) => flags.LastOrDefault(a => Scalar(a, "name") == name) is { } arg ? Scalar(arg, "value") ?? string.Empty : null;
        if (component == "kubeletArgs")
        {
            return Flag(key);
        }

        if (component == "kubelet" && KubeletFlags.TryGetValue(key, out var flag) && Flag(flag) is { } fromFlag)
        {
            return fromFlag;
        }

        if (component == "kubelet")
        {
            var kubelet = kubeadm.FirstOrDefault(d => Scalar(d, "kind") == "KubeletConfiguration");
            var node = kubelet is null ? null : At(kubelet, key.Split('.'));
            return node switch
            {
                YamlScalarNode scalar => scalar.Value,
                YamlSequenceNode list => string.Join(',', list.Children.OfType<YamlScalarNode>().Select(s => s.Value)),
                _ => KubeadmDefaults["kubelet"].GetValueOrDefault(key),
            };
        }

        var cluster = kubeadm.FirstOrDefault(d => Scalar(d, "kind") == "ClusterConfiguration");
        var args = cluster is null ? null : At(cluster, component == "etcd" ? ["etcd", "local", "extraArgs"] : [component, "extraArgs"]) as YamlSequenceNode;
        var set = args?.Children.OfType<YamlMappingNode>().Where(a => Scalar(a, "name") == key).Select(a => Scalar(a, "value") ?? string.Empty).ToList() ?? [];
        // kubeadm v1beta4 passes every entry: list flags get each value, the others keep the last one.
        return set.Count == 0 ? KubeadmDefaults[component].GetValueOrDefault(key)
            : ListFlags.Contains(key) ? string.Join(',', set.Where(v => v.Length > 0)) : set[^1];
    }

    private static IEnumerable<Finding> Check(ClusterConfig config, SourceIndex sources)
    {
        var (env, kubeadm, encryption, audit) = (config.Environment, config.Kubeadm, config.Encryption, config.AuditPolicy);
        foreach (var item in Items)
        {
            var value = Effective(kubeadm, item.Component, item.Key);
            if (!item.Holds(value))
            {
                var shown = value is null ? "not set" : value.Length == 0 ? "set empty" : $"'{value}'";
                var line = item.Component is "kubelet" or "kubeletArgs" ? item.Flag is { } f && Effective(kubeadm, "kubeletArgs", f) is not null ? f : item.Key.Split('.')[^1]
                    : item.Component == "apiServer" ? item.Key : $"{item.Component}:";
                yield return new Finding(item.Id, $"{env}: {item.Component} {item.Key}", $"is {shown}: {item.Fix}", sources.In(Template, line));
            }

            // Workers run the cluster's kubelet configuration with their own flags on top.
            if (item.Component is "kubelet" or "kubeletArgs" && config.WorkerFlags.Count > 0)
            {
                var worker = Effective(kubeadm, item.Component, item.Key, config.WorkerFlags);
                if (worker != value && !item.Holds(worker))
                {
                    yield return new Finding(item.Id, $"{env}: workers' kubelet {item.Key}", $"is '{worker}' in KUBELET_EXTRA_ARGS: {item.Fix}", config.WorkerFlagsAt);
                }
            }
        }

        const string encryptionFile = "ansible/roles/k8s-control-plane/templates/encryption-config.yaml.j2";
        var providers = encryption is null ? [] : (At(encryption, "resources") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>()
            .Where(r => (At(r, "resources") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Any(s => s.Value == "secrets") == true)
            .SelectMany(r => (At(r, "providers") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            .Select(p => ((YamlScalarNode)p.Children.Keys.First()).Value).ToList() ?? [];
        if (providers.FirstOrDefault() is not ("aescbc" or "aesgcm" or "secretbox" or "kms"))
        {
            yield return new Finding("CIS-1.2.28", $"{env}: EncryptionConfiguration secrets", $"the first provider for secrets is {providers.FirstOrDefault() ?? "missing"}: Secrets would be written in plain text", sources.In(encryptionFile, "providers"));
        }

        const string auditFile = "ansible/roles/k8s-control-plane/templates/audit-policy.yaml.j2";
        var rules = audit is null ? [] : (At(audit, "rules") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];
        if (audit is null || Scalar(audit, "kind") != "Policy" || rules.Count == 0 || rules.All(r => Scalar(r, "level") == "None"))
        {
            yield return new Finding("CIS-3.2.1", $"{env}: audit Policy", "records nothing: give it rules that log requests", sources.In(auditFile, "rules:"));
            yield break;
        }

        // The first rule that matches a Secret decides its level: it must be Metadata (or None), never Request bodies.
        var secretRule = rules.FirstOrDefault(r => r.AllNodes.OfType<YamlScalarNode>().Any(s => s.Value == "secrets") || At(r, "resources") is null && At(r, "nonResourceURLs") is null && At(r, "users") is null && At(r, "verbs") is null);
        var secretLevel = secretRule is null ? null : Scalar(secretRule, "level");
        if (secretLevel is not ("Metadata" or "None"))
        {
            yield return new Finding("CIS-3.2.2", $"{env}: audit Policy secrets", $"Secrets are recorded at {secretLevel ?? "no rule"}: their bodies would land in the audit log; log them at Metadata", sources.In(auditFile, "secrets"));
        }

        var last = rules[^1];
        if (At(last, "resources") is not null || At(last, "verbs") is not null || At(last, "users") is not null || At(last, "nonResourceURLs") is not null || Scalar(last, "level") == "None")
        {
            yield return new Finding("CIS-3.2.2", $"{env}: audit Policy catch-all", "the last rule is not a catch-all that logs: requests no rule matches go unrecorded", sources.In(auditFile, "rules:"));
        }
    }

    private static TimeSpan? TimeSpanOf(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(value, @"(\d+)(h|ms|m|s)"))
        {
            var n = int.Parse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch { "h" => TimeSpan.FromHours(n), "m" => TimeSpan.FromMinutes(n), "s" => TimeSpan.FromSeconds(n), _ => TimeSpan.FromMilliseconds(n) };
        }

        return total;
    }
}
