using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.2")]
[TaskDescription("Task 1.2: Create VPC/Network Module - VPC, public/private subnets per AZ, IGW, NAT, routes, flow logs")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateVpcModule : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(TerraformInputs.All)
            .Lint("`terraform fmt -check` passes", c => c.Terraform.Fmt("terraform/modules/vpc")).Reading(TerraformInputs.Module("vpc"))
            .Offline("`terraform validate` passes", c => c.Terraform.Validate("modules/vpc")).Reading(TerraformInputs.Module("vpc"))
            .Offline("Module README complete", c => c.Terraform.ModuleReadme("vpc"))
            .Offline("All required outputs defined", c => c.Terraform.ModuleInterface("vpc",
                ["vpc_cidr", "availability_zones", "environment", "cluster_name"],
                ["vpc_id", "private_subnet_ids", "public_subnet_ids"]))
            .Offline("`terraform test` passes", c => c.Terraform.Test("vpc")).Reading(TerraformInputs.Module("vpc"));
}
