using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public class HelmSettings : PlatformToolSettings
{
    public string? Kubeconfig { get; set; }
}

public sealed class HelmRepoAddSettings : HelmSettings
{
    public required string Name { get; set; }
    public required string Url { get; set; }
    public bool ForceUpdate { get; set; } = true;
}

public class HelmChartSettings : HelmSettings
{
    public required string Release { get; set; }
    public required string Chart { get; set; }
    public string? Namespace { get; set; }

    /// <summary>The chart repository URL (<c>--repo</c>), so no <c>helm repo add</c> state is needed.</summary>
    public string? Repo { get; set; }

    /// <summary>Always pin chart versions; an unpinned install is not reproducible.</summary>
    public string? Version { get; set; }

    public List<string> ValuesFiles { get; } = [];

    /// <summary>--set values: shown in logs, so never secrets (put those in a values file kept out of git).</summary>
    public Dictionary<string, string> Set { get; } = [];
}

public sealed class HelmUpgradeSettings : HelmChartSettings
{
    public bool Install { get; set; } = true;
    public bool CreateNamespace { get; set; }
    public bool Wait { get; set; } = true;
    public bool Atomic { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class HelmTemplateSettings : HelmChartSettings;

public sealed class HelmLintSettings : HelmSettings
{
    public List<string> ValuesFiles { get; } = [];
    public bool Strict { get; set; } = true;
}

/// <summary>helm: RepoAdd, Upgrade (--install), Template and Lint.</summary>
public sealed class HelmRunner(ICakeContext context) : PlatformTool<HelmSettings>(context)
{
    protected override string Executable => "helm";

    public ToolResult RepoAdd(HelmRepoAddSettings settings) => Execute(settings, Verb(settings, "repo", "add")
        .Word(settings.Name)
        .Word(settings.Url)
        .Flag(settings.ForceUpdate, "--force-update"));

    public ToolResult Upgrade(HelmUpgradeSettings settings) => Execute(settings, Chart(Verb(RequireCluster(settings), "upgrade").Flag(settings.Install, "--install"), settings)
        .Flag(settings.CreateNamespace, "--create-namespace")
        .Flag(settings.Wait, "--wait")
        .Flag(settings.Atomic, "--atomic")
        .Plain("--timeout", ArgumentExtensions.Seconds(settings.Timeout)));

    public ToolResult Template(HelmTemplateSettings settings) => Execute(settings, Chart(Verb(settings, "template"), settings));

    public ToolResult Lint(HelmLintSettings settings, string chart) => Execute(settings, Verb(settings, "lint")
        .Word(chart)
        .Flag(settings.Strict, "--strict")
        .Options("--values", settings.ValuesFiles));

    private static HelmUpgradeSettings RequireCluster(HelmUpgradeSettings settings)
    {
        settings.EnvironmentVariables["KUBECONFIG"] = settings.Kubeconfig
            ?? throw new ArgumentException("helm upgrade needs HelmSettings.Kubeconfig: the build never falls back to a default kubeconfig");
        return settings;
    }

    private static ProcessArgumentBuilder Chart(ProcessArgumentBuilder args, HelmChartSettings settings) => args
        .Word(settings.Release)
        .Word(settings.Chart)
        .Option("--repo", settings.Repo)
        .Option("--namespace", settings.Namespace)
        .Option("--version", settings.Version)
        .Options("--values", settings.ValuesFiles)
        .Pairs("--set", settings.Set);

    private static ProcessArgumentBuilder Verb(HelmSettings settings, params string[] verb)
    {
        var args = new ProcessArgumentBuilder().Option("--kubeconfig", settings.Kubeconfig);
        foreach (var word in verb)
        {
            args.Append(word);
        }

        return args;
    }
}

public static class HelmAliases
{
    public static ToolResult HelmRepoAdd(this ICakeContext context, HelmRepoAddSettings settings) => new HelmRunner(context).RepoAdd(settings);

    public static ToolResult HelmUpgrade(this ICakeContext context, HelmUpgradeSettings settings) => new HelmRunner(context).Upgrade(settings);

    public static ToolResult HelmTemplate(this ICakeContext context, HelmTemplateSettings settings) => new HelmRunner(context).Template(settings);

    public static ToolResult HelmLint(this ICakeContext context, string chart, HelmLintSettings? settings = null) => new HelmRunner(context).Lint(settings ?? new HelmLintSettings(), chart);
}
