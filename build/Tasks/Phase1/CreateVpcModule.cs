using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.2")]
[TaskDescription("Task 1.2: Create VPC/Network Module - VPC, public/private subnets per AZ, IGW, NAT, routes, flow logs")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateVpcModule : SeedTask
{
    private const string Module = "terraform/modules/vpc";

    public override IReadOnlyList<string> Files =>
    [
        "terraform/modules/vpc/main.tf",
        "terraform/modules/vpc/variables.tf",
        "terraform/modules/vpc/outputs.tf",
        "terraform/modules/vpc/versions.tf",
        "terraform/modules/vpc/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`terraform fmt -check` passes", c => TerraformChecks.Fmt(c, Module))
            .Offline("`terraform validate` passes", c => TerraformChecks.Validate(c, Module));
}
