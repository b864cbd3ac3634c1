using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>
/// The seed's infrastructure rollback: the configuration of an earlier commit
/// (git archive, never the working tree) planned with today's tfvars, through
/// the same two-step plan-and-review flow as Task 1.6.
/// </summary>
public static class Rollback
{
    public static Outcome ToRevision(BuildContext context)
    {
        if (context.Options.Revision is not { } revision)
        {
            return Outcome.Fail("RollbackInfrastructure needs --revision=GIT-REV: the commit whose configuration to go back to (git log terraform/)");
        }

        if (context.GitCommitOf(context.Paths.Root, revision) is not { } sha)
        {
            return Outcome.Fail($"--revision={revision} is not a commit of this repository: see git log terraform/");
        }

        var root = Path.Combine(context.Paths.Artifacts, "terraform", "rollback", sha[..12]);
        if (!Directory.Exists(root))
        {
            context.GitExtract(context.Paths.Root, sha, "terraform", root);
        }

        // Before modules/platform, every resource had another address (module.vpc, not
        // module.platform.module.vpc) and no moved block leads back: that configuration
        // would plan to replace the whole environment.
        if (!Directory.Exists(Path.Combine(root, "terraform", "modules", "platform")))
        {
            return Outcome.Fail($"--revision={revision} predates terraform/modules/platform: its configuration names every resource at its old address, so its plan would destroy and recreate the whole environment. Roll back to a later commit, or move the state by hand first (terraform state mv)");
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

        return new LiveTerraform(context, folder, $"{environment}.rollback", "RollbackInfrastructure").PlanOrApply();
    }
}
