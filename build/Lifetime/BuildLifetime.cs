using Cake.Core;
using Cake.Core.Diagnostics;
using Platform.Build.Checks;
using Platform.Build.Context;
using Platform.Build.Frosting;
using Platform.Build.Reports;
using Platform.Build.Spec;
using Platform.Build.Tasks;

namespace Platform.Build.Lifetime;

/// <summary>Changing prod was asked for without --confirm=prod; refused before anything ran.</summary>
public sealed class SafetyException(string message) : Exception(message);

/// <summary>
/// Before the first task: load the spec, check the typed tasks against it,
/// refuse an unconfirmed prod change. After the last (also on failure): write
/// the reports, and fail the run if any row failed.
/// </summary>
public sealed class BuildLifetime : FrostingLifetime<BuildContext>
{
    public const string SpecTask = "Spec";
    public const string SpecItem = "Typed tasks match specs/platform/tasks.md";

    public override void Setup(BuildContext context, ISetupContext info)
    {
        if (context.Options.DryRun)
        {
            return;
        }

        var spec = context.LoadSpec();
        var catalog = context.Catalog;
        RefuseUnconfirmedProd(context, catalog, info.TasksToExecute.Select(t => t.Name));

        var findings = SpecConformance.Findings(spec, catalog);
        var row = Outcome.FromFindings(findings, $"{spec.Tasks.Count} tasks and {spec.Checkpoints.Count} checkpoints agree with the typed tasks");
        context.Ledger.Add(new CheckResult(SpecTask, null, SpecItem, ResultKind.Check, CheckScope.Lint, row.Status, row.Detail, TimeSpan.Zero));

        context.Log.Information(
            "env {0}, mode {1}; AWS credentials: {2}; cluster: {3}",
            context.Options.EnvironmentName,
            context.Mode,
            context.Credentials.Aws ? "present" : "none",
            context.Credentials.Kubeconfig ?? "none (pass --kubeconfig=PATH)");
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        if (context.Options.DryRun)
        {
            return;
        }

        var summary = ReportWriter.Summarize(context);
        ReportWriter.Write(context, summary);
        if (info.Successful && summary.Failed > 0)
        {
            throw new ChecksFailedException($"{summary.Totals}: see {context.Paths.Relative(Path.Combine(context.Paths.Reports, "summary.md"))}");
        }
    }

    /// <summary>Prod changes need --confirm=prod; say which tasks would change it, before any of them runs.</summary>
    internal static void RefuseUnconfirmedProd(BuildContext context, TaskCatalog catalog, IEnumerable<string> tasksToExecute)
    {
        if (context.Mode != RunMode.Live || context.Options.Environment != PlatformEnvironment.Prod || context.Options.Confirmed)
        {
            return;
        }

        var changing = tasksToExecute
            .Select(catalog.Find)
            .Where(t => t is not null && typeof(PlatformTask).IsAssignableFrom(t.Type))
            .Where(t => ((PlatformTask)Activator.CreateInstance(t!.Type)!).Action is not null)
            .Select(t => t!.Name)
            .ToList();
        if (changing.Count > 0)
        {
            throw new SafetyException(
                $"refusing to change prod without --confirm=prod: {string.Join(", ", changing)} would change it; nothing was run. Add --confirm=prod to go ahead");
        }
    }
}
