using YamlDotNet.RepresentationModel;
using static Platform.Build.Core.Yaml.YamlPath;
using Platform.Build.Core.Audit;

namespace Platform.Build.ArgoCd;

/// <summary>
/// The audit's rules over Argo CD's install values (kubernetes/argocd/install:
/// values.yaml with each environment's values-&lt;env&gt;.yaml on top, as the
/// chart merges them). Helm is not here to render the chart, so these read
/// the settings the chart turns into argocd-cm, argocd-cmd-params-cm and
/// argocd-rbac-cm: what a tenant with UI access could otherwise do.
/// </summary>
public static class ArgoCdRules
{
    public const string Folder = "kubernetes/argocd/install";

    private static Rule R(string id, string title, Severity severity, string fix) => new(id, title, severity, AuditSource.Manifests, fix);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        R("ARGO-001", "No exec into pods from the Argo CD UI", Severity.High, "set configs.cm.exec.enabled: false"),
        R("ARGO-002", "No anonymous access to Argo CD", Severity.Critical, "set configs.cm.users.anonymous.enabled: false"),
        R("ARGO-003", "argocd-server serves TLS itself", Severity.High, "set configs.params.server.insecure: false"),
        R("ARGO-004", "Argo CD grants nothing by default", Severity.High, "set configs.rbac.policy.default: \"\" and grant through project roles"),
        R("ARGO-005", "Tenant syncs impersonate the namespace's deployer, not the controller", Severity.Critical, "set configs.cm.application.sync.impersonation.enabled: \"true\""),
        R("ARGO-006", "Once SSO is configured, the local admin is off", Severity.Medium, "set configs.cm.admin.enabled: false with oidc.config or dex.config (break glass as the install README says)"),
        R("ARGO-007", "Argo CD's components are behind default-deny network policies", Severity.Medium, "set global.networkPolicy.create and defaultDenyIngress: true"),
    ];

    /// <summary>The rule set over each environment's merged values.</summary>
    public static RuleSet For(string root, IReadOnlyList<string> environments, SourceIndex sources) =>
        new("argocd", Rules, () => environments.SelectMany(e => Check(Merged(root, e), e, sources)));

    public static IEnumerable<Finding> Check(YamlMappingNode values, string environment, SourceIndex sources)
    {
        // The line to fix: the key's own line in values.yaml (cm, params and rbac keys are dotted names of their own).
        Finding F(string rule, string key, string problem) =>
            new(rule, $"{environment}: argo-cd values {key}", problem, sources.In($"{Folder}/values.yaml", key.StartsWith("configs.", StringComparison.Ordinal) ? key[(key.IndexOf('.', 8) + 1)..] : key.Split('.')[^1]));
        string? Value(string section, string key) => At(values, "configs", section) is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;

        if (Value("cm", "exec.enabled") is not "false")
        {
            yield return F("ARGO-001", "configs.cm.exec.enabled", "anyone who may act on an application can open a shell in its pods");
        }

        if (Value("cm", "users.anonymous.enabled") is not "false")
        {
            yield return F("ARGO-002", "configs.cm.users.anonymous.enabled", "unauthenticated users get the default role");
        }

        var serverArgs = At(values, "server", "extraArgs") as YamlSequenceNode;
        if (Value("params", "server.insecure") is not "false" || serverArgs?.Children.OfType<YamlScalarNode>().Any(a => a.Value is "--insecure" or "--insecure=true") == true)
        {
            yield return F("ARGO-003", "configs.params.server.insecure", "argocd-server serves plain HTTP: tokens cross the network in clear");
        }

        if (Value("rbac", "policy.default") is { Length: > 0 } policy)
        {
            yield return F("ARGO-004", "configs.rbac.policy.default", $"every signed-in user gets {policy}");
        }

        if (Value("cm", "application.sync.impersonation.enabled") is not "true")
        {
            yield return F("ARGO-005", "configs.cm.application.sync.impersonation.enabled", "tenant Applications sync with the controller's cluster-wide rights");
        }

        // Task 3.2 bootstraps with the initial admin password; once people sign in through SSO it must go.
        if ((Value("cm", "oidc.config") is { Length: > 0 } || Value("cm", "dex.config") is { Length: > 0 }) && Value("cm", "admin.enabled") is not "false")
        {
            yield return F("ARGO-006", "configs.cm.admin.enabled", "SSO is configured, yet the local admin (one shared password, no MFA) can still sign in");
        }

        var network = At(values, "global", "networkPolicy") as YamlMappingNode;
        if (network is null || Scalar(network, "create") != "true" || Scalar(network, "defaultDenyIngress") != "true")
        {
            yield return F("ARGO-007", "global.networkPolicy", "Argo CD's pods accept traffic from any pod");
        }
    }

    /// <summary>values.yaml with values-&lt;env&gt;.yaml merged over it (maps merge, anything else is replaced).</summary>
    public static YamlMappingNode Merged(string root, string environment)
    {
        var merged = Load(Path.Combine(root, Folder, "values.yaml"));
        var overlay = Path.Combine(root, Folder, $"values-{environment}.yaml");
        return File.Exists(overlay) ? Merge(merged, Load(overlay)) : merged;
    }

    public static YamlMappingNode Merge(YamlMappingNode under, YamlMappingNode over)
    {
        foreach (var (key, value) in over.Children)
        {
            under.Children[key] = under.Children.TryGetValue(key, out var old) && old is YamlMappingNode a && value is YamlMappingNode b ? Merge(a, b) : value;
        }

        return under;
    }

    public static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(path)));
        return yaml.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? new YamlMappingNode();
    }
}
