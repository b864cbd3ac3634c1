using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.3")]
[TaskDescription("Task 1.3: Create Compute Module - control-plane instances behind an internal API NLB, worker ASG, IAM, key pair")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateComputeModule : SeedTask
{
    private const string Module = "terraform/modules/compute";

    public override IReadOnlyList<string> Files =>
    [
        "terraform/modules/compute/main.tf",
        "terraform/modules/compute/variables.tf",
        "terraform/modules/compute/outputs.tf",
        "terraform/modules/compute/versions.tf",
        "terraform/modules/compute/user-data.sh",
        "terraform/modules/compute/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`terraform fmt -check` passes", c => TerraformChecks.Fmt(c, Module))
            .Offline("`terraform validate` passes", c => TerraformChecks.Validate(c, Module));
}
