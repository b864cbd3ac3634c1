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

    public ToolResult RepoAdd(HelmRepoAddSettings settings)
    {
        var args = Common(settings);
        args.Append("repo");
        args.Append("add");
        args.AppendQuoted(settings.Name);
        args.AppendQuoted(settings.Url);
        if (settings.ForceUpdate)
        {
            args.Append("--force-update");
        }

        return Execute(settings, args);
    }

    public ToolResult Upgrade(HelmUpgradeSettings settings)
    {
        var args = Common(settings);
        args.Append("upgrade");
        if (settings.Install)
        {
            args.Append("--install");
        }

        Chart(args, settings);
        if (settings.CreateNamespace)
        {
            args.Append("--create-namespace");
        }

        if (settings.Wait)
        {
            args.Append("--wait");
        }

        if (settings.Atomic)
        {
            args.Append("--atomic");
        }

        args.AppendSwitch("--timeout", "=", $"{(int)settings.Timeout.TotalSeconds}s");
        return Execute(settings, args);
    }

    public ToolResult Template(HelmTemplateSettings settings)
    {
        var args = Common(settings);
        args.Append("template");
        Chart(args, settings);
        return Execute(settings, args);
    }

    public ToolResult Lint(HelmLintSettings settings, string chart)
    {
        var args = Common(settings);
        args.Append("lint");
        args.AppendQuoted(chart);
        if (settings.Strict)
        {
            args.Append("--strict");
        }

        foreach (var file in settings.ValuesFiles)
        {
            args.AppendSwitchQuoted("--values", "=", file);
        }

        return Execute(settings, args);
    }

    private static void Chart(ProcessArgumentBuilder args, HelmChartSettings settings)
    {
        args.AppendQuoted(settings.Release);
        args.AppendQuoted(settings.Chart);
        if (settings.Namespace is not null)
        {
            args.AppendSwitchQuoted("--namespace", "=", settings.Namespace);
        }

        if (settings.Version is not null)
        {
            args.AppendSwitchQuoted("--version", "=", settings.Version);
        }

        foreach (var file in settings.ValuesFiles)
        {
            args.AppendSwitchQuoted("--values", "=", file);
        }

        foreach (var (key, value) in settings.Set.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            args.AppendSwitchQuoted("--set", "=", $"{key}={value}");
        }
    }

    private static ProcessArgumentBuilder Common(HelmSettings settings)
    {
        var args = new ProcessArgumentBuilder();
        if (settings.Kubeconfig is not null)
        {
            args.AppendSwitchQuoted("--kubeconfig", "=", settings.Kubeconfig);
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
