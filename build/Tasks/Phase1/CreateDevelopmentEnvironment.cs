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
    public override IReadOnlyList<string> Files =>
    [
        "terraform/environments/dev/main.tf",
        "terraform/environments/dev/variables.tf",
        "terraform/environments/dev/outputs.tf",
        "terraform/environments/dev/versions.tf",
        "terraform/environments/dev/backend.tf",
        "terraform/environments/dev/dev.s3.tfbackend",
        "terraform/environments/dev/terraform.tfvars.example",
        "terraform/environments/dev/README.md",
        "terraform/environments/prod/main.tf",
        "terraform/environments/prod/variables.tf",
        "terraform/environments/prod/outputs.tf",
        "terraform/environments/prod/versions.tf",
        "terraform/environments/prod/backend.tf",
        "terraform/environments/prod/prod.s3.tfbackend",
        "terraform/environments/prod/terraform.tfvars.example",
        "terraform/environments/prod/README.md",
        "terraform/environments/dev/moved.tf",
        "terraform/environments/prod/moved.tf",
        "terraform/modules/platform/main.tf",
        "terraform/modules/platform/variables.tf",
        "terraform/modules/platform/outputs.tf",
        "terraform/modules/platform/versions.tf",
        "terraform/modules/platform/README.md",
        "terraform/modules/platform/tests/platform.tftest.hcl",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
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
