using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Targets;

/// <summary>Rewrites the inputs/outputs tables of the Terraform READMEs from the configuration (as terraform-docs would).</summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("TerraformDocs: writes the inputs/outputs tables of the Terraform module and environment READMEs from the configuration")]
public sealed class TerraformDocs : PlatformTask
{
    public const string Item = "Terraform READMEs written";

    protected override void Define(Checklist checklist) => checklist.Lint(Item, c => c.Terraform.WriteDocs()).Reading(CheckInputs.Writing("the READMEs' tables"));
}
