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

    protected override void Define(Checklist checklist) => checklist.Lint(Item, Write);

    private static Outcome Write(BuildContext context) =>
        TerraformChecks.WithPlan(context, "dev", plan =>
        {
            var written = new List<string>();
            var root = plan.Json.RootElement.GetProperty("configuration").GetProperty("root_module");
            var targets = TerraformSession.Modules.Select(m => ($"terraform/modules/{m}", plan.ModuleConfiguration(m)))
                .Concat(TerraformSession.Environments.Select(e => ($"terraform/environments/{e}", (System.Text.Json.JsonElement?)root)));
            foreach (var (folder, configuration) in targets)
            {
                if (configuration is not { } module)
                {
                    return Outcome.Fail($"the dev plan has no configuration for {folder}");
                }

                var readme = context.Paths.Combine($"{folder}/README.md");
                var tables = Terraform.TerraformDocs.Render(module, File.ReadAllText(context.Paths.Combine($"{folder}/variables.tf")));
                File.WriteAllText(readme, Terraform.TerraformDocs.Embed(File.ReadAllText(readme), tables, $"{folder}/README.md"));
                written.Add($"{folder}/README.md");
            }

            return Outcome.Pass($"tables written: {string.Join(", ", written)}");
        });
}
