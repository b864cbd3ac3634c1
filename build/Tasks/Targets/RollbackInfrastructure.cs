using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

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
        c => Task.FromResult(c.Terraform.Rollback()));
}
