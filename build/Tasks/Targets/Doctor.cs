using Cake.Core.Diagnostics;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tools;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// Each tool's presence and version against the minimum, and for a missing
/// tool the exact install command. With --install-tools (as root) it first
/// installs what Debian packages provide.
/// </summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("Doctor: tools present at their minimum versions, with install commands (--install-tools installs Debian packages as root)")]
public sealed class Doctor : PlatformTask
{
    protected override void Define(Checklist checklist)
    {
        foreach (var executable in ToolRequirements.For(ToolRequirements.TerraformFallback).Select(r => r.Executable))
        {
            checklist.Lint($"{executable} installed at its minimum version", c => Check(c, Requirement(c, executable)));
        }
    }

    public override async Task RunAsync(BuildContext context)
    {
        if (context.Options.InstallTools)
        {
            Install(context);
        }

        await base.RunAsync(context).ConfigureAwait(false);
    }

    internal static Outcome Check(BuildContext context, ToolRequirement requirement)
    {
        var minimum = ToolRequirements.Format(requirement.Minimum);
        var version = Probe(context, requirement, out var error);
        if (version is null)
        {
            return requirement.Optional
                ? Outcome.Skip($"optional; {error}: {requirement.HowToInstall}")
                : Outcome.Fail($"{error}: {requirement.HowToInstall}");
        }

        return version >= requirement.Minimum
            ? Outcome.Pass($"{requirement.Executable} {ToolRequirements.Format(version)} (>= {minimum})")
            : Outcome.Fail($"{requirement.Executable} {ToolRequirements.Format(version)} is older than {minimum}: {requirement.HowToInstall}");
    }

    /// <summary>The requirements with Terraform's minimum read from the repository.</summary>
    private static IReadOnlyList<ToolRequirement> Requirements(BuildContext context) =>
        ToolRequirements.For(ToolRequirements.TerraformMinimum(context.Paths.Combine("terraform/environments/dev/.terraform-version")));

    private static ToolRequirement Requirement(BuildContext context, string executable) =>
        Requirements(context).Single(r => r.Executable == executable);

    private static Version? Probe(BuildContext context, ToolRequirement requirement, out string error)
    {
        try
        {
            var result = new ToolProbe(context, requirement.Executable).Run(requirement.VersionArguments);
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

    private static void Install(BuildContext context)
    {
        var packages = Requirements(context)
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
        var apt = new ToolProbe(context, "apt-get");
        var settings = new PlatformToolSettings { StreamOutput = true, ToolTimeout = TimeSpan.FromMinutes(20) };
        settings.EnvironmentVariables["DEBIAN_FRONTEND"] = "noninteractive";
        apt.Run(settings, "update", "-qq").EnsureSuccess();
        apt.Run(settings, ["install", "-y", "-qq", "--no-install-recommends", .. packages]).EnsureSuccess();
    }
}
