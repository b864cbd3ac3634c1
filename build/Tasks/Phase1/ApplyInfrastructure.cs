using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.6")]
[TaskDescription("Task 1.6: Apply Development Infrastructure - state backup, plan for review, apply of that saved plan (--apply-plan), outputs for Ansible (--env)")]
[IsDependentOn(typeof(CreateDevelopmentEnvironment))]
public sealed class ApplyInfrastructure : SeedTask
{
    public override PlatformAction Action => new(
        "back up the state, plan for review, or apply the reviewed plan given by --apply-plan",
        Needs.AwsCredentials,
        c => Task.FromResult(c.Terraform.PlanOrApply()));

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(TerraformInputs.Pipeline)
            .Live("All resources created successfully", Needs.AwsCredentials, c => Task.FromResult(c.Terraform.NothingPending()))
            .Live("Resources tagged correctly", Needs.AwsCredentials, c => Task.FromResult(c.Terraform.TagsInState()))
            .Live("Outputs saved and accessible", Needs.Hosts, c => Task.FromResult(c.Terraform.OutputsSaved()))
            .Live("Can SSH to instances", Needs.Hosts | Needs.AwsCredentials, c => c.Terraform.NodesReachable(TimeSpan.FromSeconds(10)))
            .Lint("CI pins its actions by commit and moves plans sealed and integrity-protected", c => c.Terraform.PinnedAndSealed());
}
