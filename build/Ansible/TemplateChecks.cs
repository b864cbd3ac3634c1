using System.Net;
using System.Text.Json;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Ansible;

/// <summary>
/// Offline checks of what the control-plane and Cilium roles would write:
/// their templates rendered by Ansible itself (the template module on
/// localhost) with the role's defaults and the fixture's cluster facts, then
/// read back as YAML.
/// </summary>
public static class TemplateChecks
{
    /// <summary>"kubeadm configuration renders as v1beta4 with the hardening".</summary>
    public static Outcome KubeadmConfig(BuildContext context) => WithRender(context, "k8s-control-plane", "kubeadm-config.yaml.j2", [], (documents, facts) =>
    {
        var findings = new List<string>();
        var init = Kind(documents, "InitConfiguration");
        var cluster = Kind(documents, "ClusterConfiguration");
        var kubelet = Kind(documents, "KubeletConfiguration");
        if (init is null || cluster is null || kubelet is null)
        {
            return Outcome.Fail("the rendered file needs InitConfiguration, ClusterConfiguration and KubeletConfiguration");
        }

        foreach (var document in new[] { init, cluster }.Where(d => Text(d, "apiVersion") != "kubeadm.k8s.io/v1beta4"))
        {
            findings.Add($"{Text(document, "kind")} is {Text(document, "apiVersion")}, not kubeadm.k8s.io/v1beta4");
        }

        Expect(findings, Text(cluster, "controlPlaneEndpoint"), $"{facts["api_lb_dns_name"]}:6443", "controlPlaneEndpoint");
        Expect(findings, Text(cluster, "networking", "podSubnet"), facts["pod_cidr"], "networking.podSubnet");
        Expect(findings, Text(cluster, "networking", "serviceSubnet"), facts["service_cidr"], "networking.serviceSubnet");
        foreach (var subnet in new[] { Text(cluster, "networking", "podSubnet"), Text(cluster, "networking", "serviceSubnet") }.OfType<string>())
        {
            if (Overlap(subnet, facts["vpc_cidr"]))
            {
                findings.Add($"{subnet} overlaps the VPC {facts["vpc_cidr"]}");
            }
        }

        if (!Sequence(init, "skipPhases").Contains("addon/kube-proxy"))
        {
            findings.Add("InitConfiguration.skipPhases lacks addon/kube-proxy (Cilium replaces it)");
        }

        var apiServer = Args(cluster, "apiServer");
        foreach (var arg in new[] { "audit-policy-file", "audit-log-path", "encryption-provider-config" }.Where(a => !apiServer.ContainsKey(a)))
        {
            findings.Add($"apiServer.extraArgs lacks {arg}");
        }

        foreach (var component in new[] { "apiServer", "controllerManager", "scheduler" }.Where(c => Args(cluster, c).GetValueOrDefault("profiling") != "false"))
        {
            findings.Add($"{component} profiling is not false");
        }

        // Admission: no tenant runs another's cached private image, floods events or captures an address.
        var plugins = (apiServer.GetValueOrDefault("enable-admission-plugins") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        findings.AddRange(RequiredPlugins.Where(p => !plugins.Contains(p)).Select(p => $"apiServer enable-admission-plugins lacks {p}"));
        foreach (var arg in new[] { "admission-control-config-file", "authentication-config", "tls-cipher-suites", "kubelet-certificate-authority" }.Where(a => !apiServer.ContainsKey(a)))
        {
            findings.Add($"apiServer.extraArgs lacks {arg}");
        }

        if (apiServer.GetValueOrDefault("anonymous-auth") is "true")
        {
            findings.Add("apiServer anonymous-auth is true: anonymous requests only on the health endpoints (authentication-config)");
        }

        findings.AddRange((apiServer.GetValueOrDefault("tls-cipher-suites") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(c => !StrongCiphers.Contains(c)).Select(c => $"apiServer tls-cipher-suites allows {c}: only ECDHE with AES-GCM or ChaCha20-Poly1305"));
        findings.AddRange(Sequence(kubelet, "tlsCipherSuites").Where(c => !StrongCiphers.Contains(c)).Select(c => $"kubelet tlsCipherSuites allows {c}"));
        if (Sequence(kubelet, "tlsCipherSuites").Count == 0)
        {
            findings.Add("kubelet tlsCipherSuites is not set");
        }

        Expect(findings, Text(kubelet, "protectKernelDefaults"), "true", "kubelet protectKernelDefaults");
        Expect(findings, Text(kubelet, "serverTLSBootstrap"), "true", "kubelet serverTLSBootstrap (serving certificates the API server can verify)");
        Expect(findings, Text(kubelet, "cgroupDriver"), "systemd", "kubelet cgroupDriver");
        Expect(findings, Text(kubelet, "readOnlyPort"), "0", "kubelet readOnlyPort");
        Expect(findings, Text(kubelet, "authentication", "anonymous", "enabled"), "false", "kubelet anonymous authentication");
        return Outcome.FromFindings(findings,
            $"v1beta4; endpoint {facts["api_lb_dns_name"]}:6443; pods {facts["pod_cidr"]} and services {facts["service_cidr"]} clear of the VPC; no kube-proxy; audit, Secrets encryption, no profiling, {string.Join(", ", RequiredPlugins)}, anonymous only on health endpoints, strong TLS suites; kubelet: systemd, no read-only port, no anonymous, protectKernelDefaults, serving certificates from the cluster CA (verified by the API server)");
    });

    private static readonly string[] RequiredPlugins = ["NodeRestriction", "AlwaysPullImages", "EventRateLimit", "DenyServiceExternalIPs"];

    /// <summary>ECDHE with AES-GCM or ChaCha20-Poly1305: the suites the API server and the kubelet may offer (the Audit's too).</summary>
    public static readonly IReadOnlySet<string> StrongCiphers = new HashSet<string>
    {
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };

    /// <summary>
    /// The API server's admission and authentication files: EventRateLimit limits per
    /// namespace and server; anonymous requests allowed on the health endpoints only
    /// (the probes' paths), never on the API.
    /// </summary>
    public static Outcome ApiServerPolicies(BuildContext context)
    {
        var admission = WithRender(context, "k8s-control-plane", "admission-config.yaml.j2", [], (documents, _) =>
        {
            var findings = new List<string>();
            var config = documents.FirstOrDefault();
            var limits = config is null ? [] : documents.SelectMany(d => d.AllNodes.OfType<YamlMappingNode>())
                .Select(m => Scalar(m, "type")).OfType<string>().ToList();
            if (config is null || Text(config, "kind") != "AdmissionConfiguration" || !Contains(config, "EventRateLimit"))
            {
                findings.Add("admission-config.yaml does not configure EventRateLimit");
            }

            findings.AddRange(new[] { "Namespace", "Server" }.Where(t => !limits.Contains(t)).Select(t => $"EventRateLimit has no {t} limit"));
            return Outcome.FromFindings(findings, "EventRateLimit per namespace and for the server");
        });
        var authentication = WithRender(context, "k8s-control-plane", "authentication-config.yaml.j2", [], (documents, _) =>
        {
            var findings = new List<string>();
            var config = documents.FirstOrDefault();
            if (config is null || Text(config, "kind") != "AuthenticationConfiguration")
            {
                return Outcome.Fail("authentication-config.yaml is not an AuthenticationConfiguration");
            }

            if (Text(config, "anonymous", "enabled") == "true")
            {
                var paths = config.AllNodes.OfType<YamlMappingNode>().Select(m => Scalar(m, "path")).OfType<string>().ToList();
                if (paths.Count == 0)
                {
                    findings.Add("anonymous requests are enabled on every path: limit them to /livez, /readyz and /healthz with conditions");
                }

                findings.AddRange(paths.Where(p => p is not ("/livez" or "/readyz" or "/healthz")).Select(p => $"anonymous requests are allowed on {p}: only the health endpoints"));
            }

            return Outcome.FromFindings(findings, "anonymous requests only on /livez, /readyz and /healthz");
        });
        return Outcome.All(admission, authentication);
    }

    /// <summary>"Cilium values render for kube-proxy replacement".</summary>
    public static Outcome CiliumValues(BuildContext context) => WithRender(context, "cilium", "cilium-values.yaml.j2", new() { ["cilium_operator_replicas"] = 2 }, (documents, facts) =>
    {
        var values = documents.FirstOrDefault();
        if (values is null)
        {
            return Outcome.Fail("the rendered values are empty");
        }

        var findings = new List<string>();
        Expect(findings, Text(values, "kubeProxyReplacement"), "true", "kubeProxyReplacement");
        Expect(findings, Text(values, "k8sServiceHost"), facts["api_lb_dns_name"], "k8sServiceHost");
        Expect(findings, Text(values, "k8sServicePort"), "6443", "k8sServicePort");
        var ipam = Text(values, "ipam", "mode");
        if (ipam == "cluster-pool")
        {
            var pools = Sequence(values, "ipam", "operator", "clusterPoolIPv4PodCIDRList");
            if (!pools.SequenceEqual([facts["pod_cidr"]]))
            {
                findings.Add($"the cluster-pool IPAM hands out [{string.Join(", ", pools)}], not the pod subnet {facts["pod_cidr"]}");
            }
        }
        else if (ipam != "kubernetes")
        {
            findings.Add($"ipam.mode is {ipam}: use kubernetes (the kubeadm podSubnet) or a cluster-pool of the pod subnet");
        }

        Expect(findings, Text(values, "hubble", "relay", "enabled"), "true", "hubble.relay.enabled");
        return Outcome.FromFindings(findings, $"kube-proxy replacement through {facts["api_lb_dns_name"]}:6443, IPAM {ipam} on {facts["pod_cidr"]}, Hubble relay");
    });

    /// <summary>
    /// "Handles multiple control planes": the role joins the other control
    /// planes with the uploaded certificate key, one at a time, re-uploading
    /// the certificates first, and resets a failed join.
    /// </summary>
    public static Outcome MultipleControlPlanes(BuildContext context)
    {
        var path = Path.Combine(context.Paths.Ansible, "roles", "k8s-control-plane", "tasks", "main.yml");
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented("ansible/roles/k8s-control-plane/tasks/main.yml does not exist");
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(path)));
        var tasks = Flatten((YamlSequenceNode)yaml.Documents[0].RootNode).ToList();
        var findings = new List<string>();
        var join = tasks.FirstOrDefault(t => t.Block is not null && Contains(t.Block, "--control-plane") && Contains(t.Block, "--certificate-key"));
        if (join.Node is null)
        {
            findings.Add("no block joins control planes with --control-plane --certificate-key");
        }
        else
        {
            if (Scalar(join.Node, "throttle") != "1")
            {
                findings.Add("the control-plane join is not throttle: 1 (etcd members must join one at a time)");
            }

            if (!join.Node.Children.ContainsKey(new YamlScalarNode("rescue")) || !Contains(join.Node["rescue"], "kubeadm reset"))
            {
                findings.Add("a failed control-plane join is not reset (rescue with kubeadm reset)");
            }
        }

        if (!tasks.Any(t => Contains(t.Node, "upload-certs --upload-certs")))
        {
            findings.Add("the certificates are not uploaded again before joining (they expire after two hours)");
        }

        if (!tasks.Any(t => Contains(t.Node, "--print-join-command")) || File.ReadAllText(path).Contains("unsafe-skip-ca-verification", StringComparison.Ordinal))
        {
            findings.Add("joins must come from kubeadm token create --print-join-command (CA cert hash discovery, never unsafe-skip)");
        }

        // admin.conf is written early in a join: only a running etcd member proves a control plane joined.
        var init = tasks.FirstOrDefault(t => Contains(t.Node, "kubeadm init --config"));
        if (init.Node is null || !Contains(init.Node, "creates: /etc/kubernetes/manifests/etcd.yaml"))
        {
            findings.Add("kubeadm init is not gated on /etc/kubernetes/manifests/etcd.yaml");
        }

        if (join.Node is not null && !(join.Node.Children.TryGetValue(new YamlScalarNode("when"), out var when) && Contains(when, "k8s_etcd_manifest.stat.exists")))
        {
            findings.Add("the control-plane join is not gated on this node's etcd manifest");
        }

        return Outcome.FromFindings(findings, "a new cluster is initialised once (gated on the etcd manifest) with --upload-certs; the other control planes get re-uploaded certificates and join one at a time (throttle: 1) with the certificate key and CA-hash discovery, and a failed join is reset and tried again");
    }

    private static Outcome WithRender(BuildContext context, string role, string template, Dictionary<string, object> extra, Func<IReadOnlyList<YamlMappingNode>, IReadOnlyDictionary<string, string>, Outcome> check)
    {
        var (documents, facts, error) = Render(context, role, template, extra);
        return error is not null ? error : check(documents, facts!);
    }

    /// <summary>
    /// A role's template rendered by Ansible itself (the template module on localhost) with the
    /// role's defaults and the fixture's cluster facts, read back as YAML documents; or why not.
    /// </summary>
    public static (IReadOnlyList<YamlMappingNode> Documents, IReadOnlyDictionary<string, string>? Facts, Outcome? Error) Render(
        BuildContext context, string role, string template, Dictionary<string, object> extra, string? environment = null, string? group = null)
    {
        var source = Path.Combine(context.Paths.Ansible, "roles", role, "templates", template);
        var fixture = InventoryChecks.Fixture(context, environment);
        if (!File.Exists(source) || !File.Exists(fixture))
        {
            return ([], null, Outcome.NotImplemented($"ansible/roles/{role}/templates/{template} or {context.Paths.Relative(fixture)} does not exist"));
        }

        var facts = Facts(fixture);
        var folder = Path.Combine(context.Paths.Artifacts, "ansible", "render");
        Directory.CreateDirectory(folder);
        var vars = Path.Combine(folder, $"{role}-{environment ?? "env"}-{template[..^3]}-vars.json");
        var variables = facts.ToDictionary(f => f.Key, f => (object)f.Value);
        variables["ansible_host"] = facts["first_control_plane_ip"];
        variables["ansible_become"] = false;
        foreach (var (key, value) in extra)
        {
            variables[key] = value;
        }

        // 0600: the variables may hold a key the template needs (the encryption configuration's).
        SafeFile.WritePrivate(vars, JsonSerializer.Serialize(variables));
        var destination = Path.Combine(folder, environment is null ? template[..^3] : $"{environment}-{template[..^3]}");
        // What the inventory gives the host's groups wins over the role's defaults (as in a play): all, then the group.
        var inventory = environment is null ? [] : new[] { "all", group ?? "all" }.Distinct()
            .Select(g => Path.Combine(context.Paths.Ansible, "inventory", environment, "group_vars", $"{g}.yml")).Where(File.Exists)
            .Select(f => $"--extra-vars=@{f}");
        var settings = new PlatformToolSettings { WorkingDirectory = context.Paths.Ansible };
        settings.EnvironmentVariables["ANSIBLE_CONFIG"] = Path.Combine(context.Paths.Ansible, "ansible.cfg");
        var result = context.RunCommand("ansible", settings,
        [
            "localhost", "--connection=local", "--inventory=localhost,",
            "--module-name=ansible.builtin.template", $"--args=src={source} dest={destination} mode=0600",
            $"--extra-vars=@{Path.Combine(context.Paths.Ansible, "roles", role, "defaults", "main.yml")}", .. inventory, $"--extra-vars=@{vars}",
        ]);
        if (!result.Succeeded)
        {
            return ([], facts, Outcome.Fail($"ansible could not render {template}: {result.Tail(4)}"));
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(destination)));
        return ([.. yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()], facts, null);
    }

    /// <summary>The cluster facts the inventory would give a host, from the fixture outputs of --env.</summary>
    private static Dictionary<string, string> Facts(string fixture)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(fixture));
        string Value(string name) => json.RootElement.GetProperty(name).GetProperty("value").GetString()!;
        return new Dictionary<string, string>
        {
            ["cluster_name"] = Value("cluster_name"),
            ["platform_environment"] = Value("environment"),
            ["api_lb_dns_name"] = Value("api_lb_dns_name"),
            ["pod_cidr"] = Value("pod_cidr"),
            ["service_cidr"] = Value("service_cidr"),
            ["vpc_cidr"] = Value("vpc_cidr"),
            ["first_control_plane_ip"] = json.RootElement.GetProperty("control_plane_nodes").GetProperty("value")[0].GetProperty("private_ip").GetString()!,
        };
    }

    private static bool Overlap(string a, string b) =>
        IPNetwork.TryParse(a, out var x) && IPNetwork.TryParse(b, out var y) && (x.Contains(y.BaseAddress) || y.Contains(x.BaseAddress));

    private static YamlMappingNode? Kind(IEnumerable<YamlMappingNode> documents, string kind) =>
        documents.FirstOrDefault(d => Text(d, "kind") == kind);

    private static string? Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return (node as YamlScalarNode)?.Value;
    }

    private static IReadOnlyList<string> Sequence(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return [];
            }

            node = next;
        }

        return node is YamlSequenceNode sequence ? [.. sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty)] : [];
    }

    /// <summary>kubeadm v1beta4 extraArgs: a list of name/value pairs.</summary>
    private static Dictionary<string, string> Args(YamlMappingNode cluster, string component) =>
        cluster.Children.TryGetValue(new YamlScalarNode(component), out var node) && node is YamlMappingNode map
        && map.Children.TryGetValue(new YamlScalarNode("extraArgs"), out var args) && args is YamlSequenceNode list
            ? list.Children.OfType<YamlMappingNode>().ToDictionary(a => Text(a, "name") ?? string.Empty, a => Text(a, "value") ?? string.Empty)
            : [];

    private static void Expect(List<string> findings, string? actual, string expected, string what)
    {
        if (actual != expected)
        {
            findings.Add($"{what} is '{actual}', expected '{expected}'");
        }
    }

    private static IEnumerable<(YamlMappingNode Node, YamlSequenceNode? Block)> Flatten(YamlSequenceNode tasks)
    {
        foreach (var task in tasks.Children.OfType<YamlMappingNode>())
        {
            var block = task.Children.TryGetValue(new YamlScalarNode("block"), out var b) ? b as YamlSequenceNode : null;
            yield return (task, block);
            if (block is not null)
            {
                foreach (var inner in Flatten(block))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static bool Contains(YamlNode node, string text) => node.AllNodes.OfType<YamlScalarNode>().Any(s => s.Value?.Contains(text, StringComparison.Ordinal) == true)
        || (text.Contains(": ", StringComparison.Ordinal) && node is YamlMappingNode map && map.AllNodes.OfType<YamlMappingNode>().Any(m =>
            m.Children.Any(c => $"{c.Key}: {(c.Value as YamlScalarNode)?.Value}" == text)));
}
