using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public class AnsibleSettings : PlatformToolSettings
{
    /// <summary>Set so ansible.cfg of the ansible/ folder applies (ANSIBLE_CONFIG is set from it).</summary>
    public string? ConfigFile { get; set; }

    public AnsibleSettings()
    {
        EnvironmentVariables["ANSIBLE_FORCE_COLOR"] = "0";
        EnvironmentVariables["ANSIBLE_NOCOLOR"] = "1";
    }
}

public sealed class AnsiblePlaybookSettings : AnsibleSettings
{
    public string? Inventory { get; set; }
    public string? Limit { get; set; }
    public bool Check { get; set; }
    public bool Diff { get; set; }
    public bool SyntaxCheck { get; set; }
    public List<string> Tags { get; } = [];

    /// <summary>Plain extra variables (<c>-e key=value</c>); shown in logs, so never secrets.</summary>
    public Dictionary<string, string> ExtraVars { get; } = [];

    /// <summary>Extra variables from files (<c>-e @file</c>): the way to pass secrets (a 0600 file).</summary>
    public List<string> ExtraVarsFiles { get; } = [];
}

public sealed class AnsibleLintSettings : AnsibleSettings
{
    /// <summary>min, basic, moderate, safety, shared or production.</summary>
    public string? Profile { get; set; } = "production";

    /// <summary>Do not reach Galaxy (ansible-lint installs requirements.yml otherwise).</summary>
    public bool Offline { get; set; } = true;

    public bool Strict { get; set; }
}

public sealed class AnsibleInventorySettings : AnsibleSettings
{
    public required string Inventory { get; set; }
    public bool Graph { get; set; }
}

public sealed class AnsibleGalaxyCollectionInstallSettings : AnsibleSettings
{
    public required string RequirementsFile { get; set; }
    public string? CollectionsPath { get; set; }
    public bool Force { get; set; }
}

/// <summary>ansible-playbook, ansible-lint, ansible-inventory and ansible-galaxy: one runner per executable.</summary>
public sealed class AnsiblePlaybookRunner(ICakeContext context) : PlatformTool<AnsiblePlaybookSettings>(context)
{
    protected override string Executable => "ansible-playbook";

    public ToolResult Run(AnsiblePlaybookSettings settings, string playbook)
    {
        Configure(settings);
        var args = new ProcessArgumentBuilder();
        if (settings.Inventory is not null)
        {
            args.AppendSwitchQuoted("--inventory", "=", settings.Inventory);
        }

        if (settings.Limit is not null)
        {
            args.AppendSwitchQuoted("--limit", "=", settings.Limit);
        }

        if (settings.SyntaxCheck)
        {
            args.Append("--syntax-check");
        }

        if (settings.Check)
        {
            args.Append("--check");
        }

        if (settings.Diff)
        {
            args.Append("--diff");
        }

        if (settings.Tags.Count > 0)
        {
            args.AppendSwitchQuoted("--tags", "=", string.Join(',', settings.Tags));
        }

        foreach (var (key, value) in settings.ExtraVars.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            args.AppendSwitchQuoted("--extra-vars", "=", $"{key}={value}");
        }

        foreach (var file in settings.ExtraVarsFiles)
        {
            args.AppendSwitchQuoted("--extra-vars", "=", $"@{file}");
        }

        args.AppendQuoted(playbook);
        return Execute(settings, args);
    }

    internal static void Configure(AnsibleSettings settings)
    {
        if (settings.ConfigFile is not null)
        {
            settings.EnvironmentVariables["ANSIBLE_CONFIG"] = settings.ConfigFile;
        }
    }
}

public sealed class AnsibleLintRunner(ICakeContext context) : PlatformTool<AnsibleLintSettings>(context)
{
    protected override string Executable => "ansible-lint";

    public ToolResult Run(AnsibleLintSettings settings, IEnumerable<string> paths)
    {
        AnsiblePlaybookRunner.Configure(settings);
        var args = new ProcessArgumentBuilder();
        args.Append("--nocolor");
        if (settings.Profile is not null)
        {
            args.AppendSwitchQuoted("--profile", "=", settings.Profile);
        }

        if (settings.Offline)
        {
            args.Append("--offline");
        }

        if (settings.Strict)
        {
            args.Append("--strict");
        }

        foreach (var path in paths)
        {
            args.AppendQuoted(path);
        }

        return Execute(settings, args);
    }
}

public sealed class AnsibleInventoryRunner(ICakeContext context) : PlatformTool<AnsibleInventorySettings>(context)
{
    protected override string Executable => "ansible-inventory";

    public ToolResult Run(AnsibleInventorySettings settings)
    {
        AnsiblePlaybookRunner.Configure(settings);
        var args = new ProcessArgumentBuilder();
        args.AppendSwitchQuoted("--inventory", "=", settings.Inventory);
        args.Append(settings.Graph ? "--graph" : "--list");
        return Execute(settings, args);
    }
}

public sealed class AnsibleGalaxyRunner(ICakeContext context) : PlatformTool<AnsibleGalaxyCollectionInstallSettings>(context)
{
    protected override string Executable => "ansible-galaxy";

    public ToolResult CollectionInstall(AnsibleGalaxyCollectionInstallSettings settings)
    {
        AnsiblePlaybookRunner.Configure(settings);
        var args = new ProcessArgumentBuilder();
        args.Append("collection");
        args.Append("install");
        args.AppendSwitchQuoted("--requirements-file", "=", settings.RequirementsFile);
        if (settings.CollectionsPath is not null)
        {
            args.AppendSwitchQuoted("--collections-path", "=", settings.CollectionsPath);
        }

        if (settings.Force)
        {
            args.Append("--force");
        }

        return Execute(settings, args);
    }
}

public static class AnsibleAliases
{
    public static ToolResult AnsiblePlaybook(this ICakeContext context, string playbook, AnsiblePlaybookSettings settings) => new AnsiblePlaybookRunner(context).Run(settings, playbook);

    public static ToolResult AnsibleLint(this ICakeContext context, IEnumerable<string> paths, AnsibleLintSettings settings) => new AnsibleLintRunner(context).Run(settings, paths);

    public static ToolResult AnsibleInventory(this ICakeContext context, AnsibleInventorySettings settings) => new AnsibleInventoryRunner(context).Run(settings);

    public static ToolResult AnsibleGalaxyCollectionInstall(this ICakeContext context, AnsibleGalaxyCollectionInstallSettings settings) => new AnsibleGalaxyRunner(context).CollectionInstall(settings);
}
