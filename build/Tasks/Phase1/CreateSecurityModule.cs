using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.4")]
[TaskDescription("Task 1.4: Create Security Module - security groups for control plane, workers and the load balancers")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateSecurityModule : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(TerraformInputs.All)
            .Offline("Only required ports open", c => c.Terraform.OnlyRequiredPorts())
            .Offline("Follows least-privilege principle", c => c.Terraform.LeastPrivilege())
            .Offline("Documented in README", c => Outcome.All(c.Terraform.PortsDocumented(), c.Terraform.ModuleReadme("security")))
            .Lint("`terraform fmt -check` passes", c => c.Terraform.Fmt("terraform/modules/security")).Reading(TerraformInputs.Module("security"))
            .Offline("`terraform validate` passes", c => c.Terraform.Validate("modules/security")).Reading(TerraformInputs.Module("security"))
            .Offline("`terraform test` passes", c => c.Terraform.Test("security")).Reading(TerraformInputs.Module("security"));
}
