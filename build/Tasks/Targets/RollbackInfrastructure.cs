using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;
using Platform.Build.Tools;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// The seed's Terraform rollback: back up the state, take the configuration of
/// an earlier commit (--revision), plan it for review, and apply that plan only
/// (--apply-plan), exactly as ApplyInfrastructure does for the current one.
/// </summary>
[TaskDescription("RollbackInfrastructure: plans the Terraform configuration of --revision for --env for review, then applies it with --apply-plan (state backed up first)")]
public sealed class RollbackInfrastructure : PlatformTask
{
    public override PlatformAction Action => new(
        "back up the state and plan (or apply, with --apply-plan) the configuration of --revision",
        Needs.AwsCredentials,
        c => Task.FromResult(Rollback(c)));

    private static Outcome Rollback(BuildContext context)
    {
        if (context.Options.Revision is not { } revision)
        {
            return Outcome.Fail("RollbackInfrastructure needs --revision=GIT-REV: the commit whose configuration to go back to (git log terraform/)");
        }

        var git = new ToolProbe(context, "git");
        var commit = git.Run(new PlatformToolSettings { WorkingDirectory = context.Paths.Root }, "rev-parse", "--verify", "--quiet", $"{revision}^{{commit}}");
        if (!commit.Succeeded || commit.Output.Count == 0)
        {
            return Outcome.Fail($"--revision={revision} is not a commit of this repository: see git log terraform/");
        }

        var sha = commit.Output[0].Trim();
        var root = Path.Combine(context.Paths.Artifacts, "terraform", "rollback", sha[..12]);
        if (!Directory.Exists(root))
        {
            // git archive | tar: the earlier terraform/ without touching the working tree.
            var archive = Path.Combine(context.Paths.Artifacts, "terraform", $"rollback-{sha[..12]}.tar");
            Directory.CreateDirectory(root);
            git.Run(new PlatformToolSettings { WorkingDirectory = context.Paths.Root }, "archive", $"--output={archive}", sha, "terraform").EnsureSuccess();
            new ToolProbe(context, "tar").Run(new PlatformToolSettings { WorkingDirectory = root }, "-xf", archive).EnsureSuccess();
            File.Delete(archive);
        }

        var environment = context.Options.EnvironmentName;
        var folder = Path.Combine(root, "terraform", "environments", environment);
        if (!Directory.Exists(folder))
        {
            return Outcome.Fail($"--revision={revision} has no terraform/environments/{environment}: pick a later commit");
        }

        // The values are the user's and not in git: the rollback plans the old configuration with today's tfvars.
        var tfvars = context.Paths.Combine($"terraform/environments/{environment}/terraform.tfvars");
        if (File.Exists(tfvars))
        {
            SafeFile.WritePrivate(Path.Combine(folder, "terraform.tfvars"), File.ReadAllText(tfvars));
        }

        return new LiveTerraform(context, folder, $"{environment}.rollback", nameof(RollbackInfrastructure)).PlanOrApply();
    }
}
