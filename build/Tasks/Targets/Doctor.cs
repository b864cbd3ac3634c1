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
        // The tools themselves are in every key; of the repository, only the pinned Terraform version.
        checklist.Reads("terraform/environments/dev/.terraform-version");
        foreach (var executable in ToolRequirements.For(ToolRequirements.TerraformFallback).Select(r => r.Executable))
        {
            checklist.Lint($"{executable} installed at its minimum version", c => Check(c, Requirement(c, executable)));
        }
    }

    protected override Task PrepareAsync(BuildContext context)
    {
        if (context.Options.InstallTools)
        {
            ToolRequirements.Install(context, Requirements(context));
        }

        return Task.CompletedTask;
    }

    internal static Outcome Check(BuildContext context, ToolRequirement requirement)
    {
        var minimum = ToolRequirements.Format(requirement.Minimum);
        var version = ToolRequirements.Probe(context, requirement, out var error);
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
}
