using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.4")]
[TaskDescription("Task 1.4: Create Security Module - security groups for control plane, workers and the API load balancer")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateSecurityModule : SeedTask
{
    private const string Module = "terraform/modules/security";

    public override IReadOnlyList<string> Files =>
    [
        "terraform/modules/security/main.tf",
        "terraform/modules/security/variables.tf",
        "terraform/modules/security/outputs.tf",
        "terraform/modules/security/versions.tf",
        "terraform/modules/security/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`terraform fmt -check` passes", c => TerraformChecks.Fmt(c, Module))
            .Offline("`terraform validate` passes", c => TerraformChecks.Validate(c, Module));
}
