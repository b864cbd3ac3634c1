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

    public ToolResult Run(AnsiblePlaybookSettings settings, string playbook) => Execute(Configure(settings), new ProcessArgumentBuilder()
        .Option("--inventory", settings.Inventory)
        .Option("--limit", settings.Limit)
        .Flag(settings.SyntaxCheck, "--syntax-check")
        .Flag(settings.Check, "--check")
        .Flag(settings.Diff, "--diff")
        .Option("--tags", settings.Tags.Count > 0 ? string.Join(',', settings.Tags) : null)
        .Pairs("--extra-vars", settings.ExtraVars)
        .Options("--extra-vars", settings.ExtraVarsFiles.Select(f => $"@{f}"))
        .Word(playbook));

    /// <summary>Points the tool at the repository's ansible.cfg.</summary>
    internal static T Configure<T>(T settings) where T : AnsibleSettings
    {
        if (settings.ConfigFile is not null)
        {
            settings.EnvironmentVariables["ANSIBLE_CONFIG"] = settings.ConfigFile;
        }

        return settings;
    }
}

public sealed class AnsibleLintRunner(ICakeContext context) : PlatformTool<AnsibleLintSettings>(context)
{
    protected override string Executable => "ansible-lint";

    public ToolResult Run(AnsibleLintSettings settings, IEnumerable<string> paths)
    {
        var args = ProcessArgumentBuilder.FromStrings(["--nocolor"])
            .Option("--profile", settings.Profile)
            .Flag(settings.Offline, "--offline")
            .Flag(settings.Strict, "--strict");
        foreach (var path in paths)
        {
            args.AppendQuoted(path);
        }

        return Execute(AnsiblePlaybookRunner.Configure(settings), args);
    }
}

public sealed class AnsibleInventoryRunner(ICakeContext context) : PlatformTool<AnsibleInventorySettings>(context)
{
    protected override string Executable => "ansible-inventory";

    public ToolResult Run(AnsibleInventorySettings settings) => Execute(AnsiblePlaybookRunner.Configure(settings), new ProcessArgumentBuilder()
        .Option("--inventory", settings.Inventory)
        .Flag(true, settings.Graph ? "--graph" : "--list"));
}

public sealed class AnsibleGalaxyRunner(ICakeContext context) : PlatformTool<AnsibleGalaxyCollectionInstallSettings>(context)
{
    protected override string Executable => "ansible-galaxy";

    public ToolResult CollectionInstall(AnsibleGalaxyCollectionInstallSettings settings) => Execute(AnsiblePlaybookRunner.Configure(settings), ProcessArgumentBuilder.FromStrings(["collection", "install"])
        .Option("--requirements-file", settings.RequirementsFile)
        .Option("--collections-path", settings.CollectionsPath)
        .Flag(settings.Force, "--force"));
}

public static class AnsibleAliases
{
    public static ToolResult AnsiblePlaybook(this ICakeContext context, string playbook, AnsiblePlaybookSettings settings) => new AnsiblePlaybookRunner(context).Run(settings, playbook);

    public static ToolResult AnsibleLint(this ICakeContext context, IEnumerable<string> paths, AnsibleLintSettings settings) => new AnsibleLintRunner(context).Run(settings, paths);

    public static ToolResult AnsibleInventory(this ICakeContext context, AnsibleInventorySettings settings) => new AnsibleInventoryRunner(context).Run(settings);

    public static ToolResult AnsibleGalaxyCollectionInstall(this ICakeContext context, AnsibleGalaxyCollectionInstallSettings settings) => new AnsibleGalaxyRunner(context).CollectionInstall(settings);
}
