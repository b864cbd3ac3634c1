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
    public override IReadOnlyList<string> Files =>
    [
        "terraform/modules/vpc/main.tf",
        "terraform/modules/vpc/variables.tf",
        "terraform/modules/vpc/outputs.tf",
        "terraform/modules/vpc/versions.tf",
        "terraform/modules/vpc/README.md",
        "terraform/modules/vpc/tests/vpc.tftest.hcl",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`terraform fmt -check` passes", c => TerraformChecks.Fmt(c, "terraform/modules/vpc"))
            .Offline("`terraform validate` passes", c => TerraformChecks.Validate(c, "modules/vpc"))
            .Offline("Module README complete", c => TerraformChecks.ModuleReadme(c, "vpc"))
            .Offline("All required outputs defined", c => TerraformChecks.ModuleInterface(c, "vpc",
                ["vpc_cidr", "availability_zones", "environment", "cluster_name"],
                ["vpc_id", "private_subnet_ids", "public_subnet_ids"]))
            .Offline("`terraform test` passes", c => TerraformChecks.Test(c, "vpc"));
}
