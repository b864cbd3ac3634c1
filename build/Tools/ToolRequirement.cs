using System.Text.RegularExpressions;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Platform.Build.Tools;

/// <summary>A tool the build runs, the lowest version it is tested with, and how to get it.</summary>
public sealed record ToolRequirement(
    string Executable,
    string[] VersionArguments,
    Regex VersionPattern,
    Version Minimum,
    string? DebianPackage,
    string InstallHint,
    bool Optional = false)
{
    /// <summary>The version in a tool's <c>--version</c> output, or null.</summary>
    public Version? ParseVersion(string output)
    {
        var match = VersionPattern.Match(output);
        return match.Success && Version.TryParse(match.Groups[1].Value, out var version) ? version : null;
    }

    /// <summary>How to install: the Debian package when there is one, else the vendor's way.</summary>
    public string HowToInstall => DebianPackage is null ? InstallHint : $"apt-get install -y {DebianPackage}";
}

/// <summary>The tools this repository's checks use.</summary>
public static class ToolRequirements
{
    /// <summary>Used when terraform/environments/dev/.terraform-version does not exist yet: S3 native locking needs 1.10.</summary>
    public static readonly Version TerraformFallback = new(1, 10, 0);

    public static IReadOnlyList<ToolRequirement> For(Version terraform) =>
    [
        new("terraform", ["version"], new Regex(@"Terraform v(\d+\.\d+\.\d+)"), terraform, null,
            "install from https://developer.hashicorp.com/terraform/install (HashiCorp's apt repository or the zip)"),
        new("kubectl", ["version", "--client"], new Regex(@"Client Version: v(\d+\.\d+\.\d+)"), new Version(1, 30, 0), null,
            "install from https://pkgs.k8s.io (kubectl package) or https://dl.k8s.io"),
        new("ansible", ["--version"], new Regex(@"core (\d+\.\d+\.\d+)"), new Version(2, 14, 0), "ansible", "pipx install ansible-core"),
        new("ansible-lint", ["--version"], new Regex(@"ansible-lint (\d+\.\d+\.\d+)"), new Version(6, 13, 0), "ansible-lint", "pipx install ansible-lint"),
        new("yamllint", ["--version"], new Regex(@"yamllint (\d+\.\d+\.\d+)"), new Version(1, 29, 0), "yamllint", "pipx install yamllint"),
        new("shellcheck", ["--version"], new Regex(@"version: (\d+\.\d+\.\d+)"), new Version(0, 9, 0), "shellcheck", "https://github.com/koalaman/shellcheck#installing"),
        new("debootstrap", ["--version"], new Regex(@"debootstrap (\d+\.\d+\.\d+)"), new Version(1, 0, 120), "debootstrap",
            "https://wiki.debian.org/Debootstrap (the offline converge of Task 2.3 builds a Debian root with it)"),
        new("promtool", ["--version"], new Regex(@"version (\d+\.\d+\.\d+)"), new Version(2, 42, 0), "prometheus", "https://prometheus.io/download/"),
        new("etcd", ["--version"], new Regex(@"etcd Version: (\d+\.\d+\.\d+)"), new Version(3, 4, 0), "etcd-server",
            "https://etcd.io/docs/latest/install/ (the disaster-recovery drill starts it on loopback; never as a service)"),
        new("etcdctl", ["version"], new Regex(@"etcdctl version: (\d+\.\d+\.\d+)"), new Version(3, 4, 0), "etcd-client",
            "https://etcd.io/docs/latest/install/ (the drill's snapshot and restore)"),
        new("helm", ["version", "--short"], new Regex(@"v(\d+\.\d+\.\d+)"), new Version(3, 12, 0), null,
            "install from https://helm.sh/docs/intro/install/ (needed only to install Cilium in Task 2.6 on a control plane)", Optional: true),
    ];

    /// <summary>The minimum Terraform: the version pinned in the dev environment's .terraform-version.</summary>
    public static Version TerraformMinimum(string terraformVersionFile) =>
        File.Exists(terraformVersionFile) && Version.TryParse(File.ReadAllText(terraformVersionFile).Trim(), out var pinned)
            ? pinned
            : TerraformFallback;

    public static string Format(Version version) =>
        version.Build >= 0 ? version.ToString(3) : version.ToString(2) + ".0";

    /// <summary>The version the tool reports, or null with why not.</summary>
    public static Version? Probe(ICakeContext context, ToolRequirement requirement, out string error)
    {
        try
        {
            var result = context.RunCommand(requirement.Executable, requirement.VersionArguments);
            var version = requirement.ParseVersion(result.Text + "\n" + string.Join('\n', result.Error));
            error = version is null ? $"no version in the output of '{result.CommandLine}' ({result.Tail(2)})" : string.Empty;
            return version;
        }
        catch (ToolNotFoundException)
        {
            error = "not found on PATH";
            return null;
        }
    }

    /// <summary>--install-tools: apt-get installs the Debian packages of every tool missing or too old (as root only).</summary>
    public static void Install(ICakeContext context, IReadOnlyList<ToolRequirement> requirements)
    {
        var packages = requirements
            .Where(r => r.DebianPackage is not null && !(Probe(context, r, out _) >= r.Minimum))
            .Select(r => r.DebianPackage!)
            .Distinct()
            .ToList();
        if (packages.Count == 0)
        {
            context.Log.Information("--install-tools: every tool that Debian packages provide is present.");
            return;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            context.Log.Warning("--install-tools needs root: run 'sudo apt-get install -y {0}'", string.Join(' ', packages));
            return;
        }

        context.Log.Information("--install-tools: apt-get install {0}", string.Join(' ', packages));
        var apt = new CommandTool(context, "apt-get");
        var settings = new PlatformToolSettings { ToolTimeout = TimeSpan.FromMinutes(20) }; // apt's progress goes to the task log
        settings.EnvironmentVariables["DEBIAN_FRONTEND"] = "noninteractive";
        apt.Run(settings, "update", "-qq").EnsureSuccess();
        apt.Run(settings, ["install", "-y", "-qq", "--no-install-recommends", .. packages]).EnsureSuccess();
    }
}
