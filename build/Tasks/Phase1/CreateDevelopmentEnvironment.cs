using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.5")]
[TaskDescription("Task 1.5: Create Development Environment - dev and prod environments wiring the modules, S3 backend, example tfvars")]
[IsDependentOn(typeof(CreateVpcModule))]
[IsDependentOn(typeof(CreateComputeModule))]
[IsDependentOn(typeof(CreateSecurityModule))]
public sealed class CreateDevelopmentEnvironment : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(TerraformInputs.All)
            .Offline("`terraform init` succeeds", c => c.Terraform.InitEnvironments())
            .Offline("`terraform plan` shows expected resources", c => c.Terraform.ExpectedResources())
            .Offline("Remote state configured", c => c.Terraform.RemoteState())
            .Offline("Example tfvars documented", c => c.Terraform.ExampleTfvars())
            .Lint("`terraform fmt -check` passes", c => Outcome.All([c.Terraform.Fmt("terraform/environments"), c.Terraform.Fmt("terraform/modules/platform")]))
            .Offline("Environments differ only in their profile", c => c.Terraform.EnvironmentsAgree())
            .Offline("The platform module's `terraform test` passes", c => c.Terraform.Test("platform"))
            .Offline("Platform module README complete", c => c.Terraform.ModuleReadme("platform"))
            .Offline("The environment's `terraform.tfvars` is valid", c => c.Terraform.UserTfvars());
}
