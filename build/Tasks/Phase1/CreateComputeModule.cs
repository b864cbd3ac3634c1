using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.3")]
[TaskDescription("Task 1.3: Create Compute Module - control-plane instances behind an internal API NLB, worker ASG, IAM, key pair")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateComputeModule : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(TerraformInputs.All)
            .Lint("`terraform fmt -check` passes", c => c.Terraform.Fmt("terraform/modules/compute")).Reading(TerraformInputs.Module("compute"))
            .Offline("`terraform validate` passes", c => c.Terraform.Validate("modules/compute")).Reading(TerraformInputs.Module("compute"))
            .Offline("Instances properly tagged", c => c.Terraform.InstancesTagged())
            .Offline("Outputs include instance IPs", c => c.Terraform.ModuleInterface("compute",
                ["ami_id", "control_plane_count", "private_subnet_ids"],
                ["control_plane_private_ips", "worker_private_ips", "control_plane_nodes", "api_endpoint"]))
            .Offline("Launch templates require IMDSv2, encrypt volumes and give no public IP", c => c.Terraform.InstancesHardened())
            .Lint("`user-data.sh` passes shellcheck", c => c.Terraform.Shellcheck("terraform/modules/compute/user-data.sh")).Reading(TerraformInputs.Module("compute"))
            .Offline("Module README complete", c => c.Terraform.ModuleReadme("compute"))
            .Offline("`terraform test` passes", c => c.Terraform.Test("compute")).Reading(TerraformInputs.Module("compute"));
}
