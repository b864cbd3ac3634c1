using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.1")]
[TaskDescription("Task 1.1: Initialize Terraform Project Structure - terraform/ layout, .gitignore, README and pinned Terraform versions")]
public sealed class InitializeTerraformProject : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(TerraformInputs.All)
            .Offline("Directory structure matches plan", c => c.Terraform.Layout())
            .Offline("`.gitignore` in place", c => c.Terraform.GitIgnore())
            .Offline("README documents usage", c => c.Terraform.ReadmeUsage("terraform/README.md"))
            .Lint("`versions.tf` pins Terraform >= 1.10 and the AWS provider to 5.x everywhere", c => c.Terraform.VersionsPinned())
            .Lint("Provider versions locked (`.terraform.lock.hcl` of each environment, with the linux_amd64 hash)", c => c.Terraform.ProvidersLocked());
}
