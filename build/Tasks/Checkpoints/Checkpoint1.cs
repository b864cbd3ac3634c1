using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Phase1;

namespace Platform.Build.Tasks.Checkpoints;

[TaskDescription("Checkpoint 1: Infrastructure Provisioned - Phase 1 done (run after ApplyInfrastructure)")]
[IsDependentOn(typeof(ApplyInfrastructure))]
public sealed class Checkpoint1 : CheckpointTask
{
    private const string TestsItem = "`terraform test` passes";

    public override int Number => 1;

    protected override void Define(Checklist checklist) =>
        checklist
            .Derived("All Terraform modules created",
                (nameof(CreateVpcModule), FilesItem), (nameof(CreateComputeModule), FilesItem), (nameof(CreateSecurityModule), FilesItem),
                (nameof(CreateVpcModule), TestsItem), (nameof(CreateComputeModule), TestsItem), (nameof(CreateSecurityModule), TestsItem))
            .Derived("Development environment applied successfully", (nameof(ApplyInfrastructure), "All resources created successfully"))
            .Derived("Resources tagged correctly", (nameof(ApplyInfrastructure), "Resources tagged correctly"))
            .Derived("Outputs available for Ansible", (nameof(ApplyInfrastructure), "Outputs saved and accessible"))
            .Derived("Can access provisioned VMs", (nameof(ApplyInfrastructure), "Can SSH to instances"));
}
