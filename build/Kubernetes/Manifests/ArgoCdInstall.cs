using YamlDotNet.Core;
using YamlDotNet.Serialization;
using Platform.Build.Core.Yaml;

namespace Platform.Build.Kubernetes.Manifests;

/// <summary>kubernetes/argocd/install/chart.yaml: the pinned argo-cd chart.</summary>
public sealed class ChartPin
{
    public string Repository { get; set; } = string.Empty;
    public string Chart { get; set; } = string.Empty;
    public string Version { get; set; } = string.Empty;
    public string AppVersion { get; set; } = string.Empty;
    public string Release { get; set; } = string.Empty;
    public string Namespace { get; set; } = string.Empty;
}

// The subset of the argo-cd chart's values this platform sets, typed so a
// misspelt key fails with its line instead of being ignored by Helm.

public sealed class ArgoCdValues
{
    public GlobalValues? Global { get; set; }
    public ConfigsValues? Configs { get; set; }
    public ComponentValues? Controller { get; set; }
    public ComponentValues? Server { get; set; }
    public ComponentValues? RepoServer { get; set; }
    public ComponentValues? ApplicationSet { get; set; }
    public ComponentValues? Notifications { get; set; }
    public ComponentValues? Dex { get; set; }
    public ComponentValues? Redis { get; set; }

    [YamlMember(Alias = "redis-ha", ApplyNamingConventions = false)]
    public EnabledValues? RedisHa { get; set; }
}

public sealed class GlobalValues
{
    public string? Domain { get; set; }
    public NetworkPolicyValues? NetworkPolicy { get; set; }
}

public sealed class NetworkPolicyValues
{
    public bool? Create { get; set; }
    public bool? DefaultDenyIngress { get; set; }
}

public sealed class ConfigsValues
{
    /// <summary>argocd-cm: free-form keys in the chart, so the build checks the ones that matter by name.</summary>
    public Dictionary<string, string>? Cm { get; set; }
    public Dictionary<string, string>? Params { get; set; }
    public Dictionary<string, string>? Rbac { get; set; }
}

public sealed class ComponentValues
{
    public bool? Enabled { get; set; }
    public int? Replicas { get; set; }
    public AutoscalingValues? Autoscaling { get; set; }
    public MetricsValues? Metrics { get; set; }
}

public sealed class AutoscalingValues
{
    public bool? Enabled { get; set; }
    public int? MinReplicas { get; set; }
    public int? MaxReplicas { get; set; }
}

public sealed class MetricsValues
{
    public bool? Enabled { get; set; }
    public EnabledValues? ServiceMonitor { get; set; }
}

public sealed class EnabledValues
{
    public bool? Enabled { get; set; }
}

/// <summary>The Argo CD install: the pinned chart and its values, read strictly and held to the platform's rules.</summary>
public sealed class ArgoCdInstall
{
    public const string Folder = "kubernetes/argocd/install";

    private static readonly IDeserializer Strict = new DeserializerBuilder()
        .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.CamelCaseNamingConvention.Instance)
        .Build();

    private ArgoCdInstall(ChartPin chart, ArgoCdValues common, ArgoCdValues environment)
    {
        Chart = chart;
        Common = common;
        Environment = environment;
    }

    public ChartPin Chart { get; }
    public ArgoCdValues Common { get; }
    public ArgoCdValues Environment { get; }

    /// <summary>argocd-cm turns on sync impersonation: syncs run as the AppProjects' destinationServiceAccounts.</summary>
    public bool SyncImpersonation =>
        (Environment.Configs?.Cm?.GetValueOrDefault(ImpersonationKey) ?? Common.Configs?.Cm?.GetValueOrDefault(ImpersonationKey)) == "true";

    public const string ImpersonationKey = "application.sync.impersonation.enabled";

    public static ArgoCdInstall Load(string root, string environment)
    {
        T Read<T>(string name)
        {
            var relative = $"{Folder}/{name}";
            var path = Path.Combine(root, relative);
            if (!File.Exists(path))
            {
                throw new DataFileException(relative, 1, "(file)", "does not exist: restore it from git");
            }

            try
            {
                return Strict.Deserialize<T>(File.ReadAllText(path)) ?? throw new DataFileException(relative, 1, "(document)", "is empty");
            }
            catch (YamlException e)
            {
                var why = (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ");
                throw new DataFileException(relative, e.Start.Line, "(key)", $"{why}: fix the key (the file is read strictly against the argo-cd chart values this platform sets)");
            }
        }

        var chart = Read<ChartPin>("chart.yaml");
        if (!System.Text.RegularExpressions.Regex.IsMatch(chart.Version, @"^\d+\.\d+\.\d+$"))
        {
            throw new DataFileException($"{Folder}/chart.yaml", 1, "version", $"'{chart.Version}' is not an exact chart version (x.y.z): pin one");
        }

        return new ArgoCdInstall(chart, Read<ArgoCdValues>("values.yaml"), Read<ArgoCdValues>($"values-{environment}.yaml"));
    }

    /// <summary>Where the platform's rules are not met by values.yaml + values-&lt;env&gt;.yaml (the later file wins, as in Helm).</summary>
    public IReadOnlyList<string> Findings(string environment)
    {
        var findings = new List<string>();
        string? Cm(string key) => Environment.Configs?.Cm?.GetValueOrDefault(key) ?? Common.Configs?.Cm?.GetValueOrDefault(key);
        string? Rbac(string key) => Environment.Configs?.Rbac?.GetValueOrDefault(key) ?? Common.Configs?.Rbac?.GetValueOrDefault(key);
        T? Pick<T>(Func<ArgoCdValues, T?> get) where T : struct => get(Environment) ?? get(Common);

        if (Cm("exec.enabled") != "false")
        {
            findings.Add("configs.cm.\"exec.enabled\" must be false (no shell into pods from the UI)");
        }

        // Once people sign in through SSO the shared local admin is only a password to steal:
        // it goes, and kubernetes/argocd/install/README.md says how to bring it back in an emergency.
        if ((Cm("oidc.config") is { Length: > 0 } || Cm("dex.config") is { Length: > 0 }) && Cm("admin.enabled") != "false")
        {
            findings.Add("configs.cm.\"admin.enabled\" must be false once SSO is configured (oidc.config or dex.config): break glass as the install README says");
        }

        if (!SyncImpersonation)
        {
            findings.Add($"configs.cm.\"{ImpersonationKey}\" must be \"true\": without it every tenant sync runs with the controller's cluster-wide rights");
        }

        if (Rbac("policy.default") is not "")
        {
            findings.Add("configs.rbac.\"policy.default\" must be \"\" (deny unless a role grants it)");
        }

        if (Rbac("policy.csv") is { } csv && csv.Split('\n').Any(l => l.Replace(" ", string.Empty, StringComparison.Ordinal).StartsWith("p,role:", StringComparison.Ordinal) && l.Contains(", *, *", StringComparison.Ordinal)))
        {
            findings.Add("configs.rbac.\"policy.csv\" grants a role everything on everything: grant it through project roles instead");
        }

        if (Pick(v => v.Global?.NetworkPolicy?.Create) != true)
        {
            findings.Add("global.networkPolicy.create must be true (Argo CD's own network policies)");
        }

        foreach (var (name, get) in new (string, Func<ArgoCdValues, ComponentValues?>)[]
        {
            ("controller", v => v.Controller), ("server", v => v.Server), ("repoServer", v => v.RepoServer), ("applicationSet", v => v.ApplicationSet),
        })
        {
            if (Pick(v => get(v)?.Metrics?.Enabled) != true)
            {
                findings.Add($"{name}.metrics.enabled must be true");
            }
        }

        if (environment == "prod")
        {
            if (Pick(v => v.RedisHa?.Enabled) != true)
            {
                findings.Add("prod: redis-ha.enabled must be true");
            }

            foreach (var (name, get) in new (string, Func<ArgoCdValues, ComponentValues?>)[] { ("server", v => v.Server), ("repoServer", v => v.RepoServer), ("applicationSet", v => v.ApplicationSet) })
            {
                var replicas = Pick(v => get(v)?.Autoscaling?.Enabled) == true ? Pick(v => get(v)?.Autoscaling?.MinReplicas) ?? 1 : Pick(v => get(v)?.Replicas) ?? 1;
                if (replicas < 2)
                {
                    findings.Add($"prod: {name} needs at least 2 replicas (replicas, or autoscaling.minReplicas)");
                }
            }
        }

        return findings;
    }
}
