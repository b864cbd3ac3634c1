using Cake.Core;
using Cake.Core.Diagnostics;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Reports;
using Platform.Build.Core.Spec;
using Platform.Build.Core.Tasks;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Hosting;
using Platform.Build.Core.Logs;
using Platform.Build.Frosting;

namespace Platform.Build.Core.Lifetime;

/// <summary>Changing prod was asked for without --confirm=prod; refused before anything ran (exit code 2).</summary>
public sealed class SafetyException(string message) : RefusedException(message);

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
        var actions = ActionsOf(catalog, info.TasksToExecute.Select(t => t.Name));
        try
        {
            RefuseUnconfirmedProd(context, actions);
            RefuseUnusedOptions(context, info.TasksToExecute.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase));
            RefuseBadActionInputs(context, actions);
        }
        catch (RefusedException)
        {
            // Raised inside Cake's engine, a refusal reaches the host as a failed run (1): the run records it to exit 2.
            context.Run?.MarkRefused();
            throw;
        }
        context.CanChangeSomething = context.Mode == RunMode.Live
            && actions.Any(a => a.Action.Run is not null && context.Missing(a.Action.Needs) is null);

        context.Ahead = AheadOf(context, info);

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

    /// <summary>Offline runs with --parallel above 1: the tasks Cake will run, without criteria, may run their checks ahead.</summary>
    private static AheadOfTurn? AheadOf(BuildContext context, ISetupContext info)
    {
        if (context.Mode == RunMode.Live || context.Options.Parallel <= 1)
        {
            return null;
        }

        var instances = (context.ServiceProvider.GetService(typeof(IEnumerable<IFrostingTask>)) as IEnumerable<IFrostingTask> ?? [])
            .OfType<PlatformTask>()
            .ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var tasks = info.TasksToExecute
            .Where(t => t is not CakeTask { Criterias.Count: > 0 })
            .Select(t => instances.GetValueOrDefault(t.Name))
            .OfType<PlatformTask>()
            .ToList();
        return new AheadOfTurn(context, tasks, context.Options.Parallel, context.Log as TaskLogs);
    }

    public override void Teardown(BuildContext context, ITeardownContext info)
    {
        (context.Log as TaskLogs)?.EndProgress();
        if (context.Options.DryRun)
        {
            return;
        }

        if (Tools.Interrupts.Interrupted)
        {
            // Whatever the rows above say, the run did not finish: the report must not look current.
            context.Ledger.Add(new CheckResult("Run", null, "The build ran to the end", ResultKind.Check, CheckScope.Lint, CheckStatus.Failed,
                $"{Tools.Interrupts.Reason}: the run stopped there; items after it did not run", TimeSpan.Zero));
        }
        else if (info.ThrownException is { } thrown && context.Ledger.Results.All(r => r.Status != CheckStatus.Failed))
        {
            // The run stopped before a check could say why (refused, spec unreadable, a crash): the report says it.
            var message = (thrown is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : thrown).Message;
            context.Ledger.Add(new CheckResult("Run", null, "The build ran to the end", ResultKind.Check, CheckScope.Lint, CheckStatus.Failed, message, TimeSpan.Zero));
        }

        var summary = ReportWriter.Summarize(context);
        try
        {
            ReportWriter.Write(context, summary);
        }
        catch (Tools.ReportWriteException e)
        {
            // Without its reports the run has not done its job: it fails, with the one line that says why.
            throw new ChecksFailedException(e.Message);
        }

        if (info.Successful && summary.Failed > 0)
        {
            throw new ChecksFailedException($"{summary.Totals}: see {context.Paths.Relative(Path.Combine(context.Paths.Reports, "summary.md"))}");
        }
    }

    /// <summary>The tasks of this run that have an action, with it.</summary>
    internal static IReadOnlyList<(string Task, PlatformAction Action)> ActionsOf(TaskCatalog catalog, IEnumerable<string> tasksToExecute) =>
        [.. tasksToExecute
            .Select(catalog.Find)
            .Where(t => t is not null && typeof(PlatformTask).IsAssignableFrom(t.Type))
            .Select(t => (t!.Name, ((PlatformTask)Activator.CreateInstance(t.Type)!).Action))
            .Where(t => t.Action is not null)
            .Select(t => (t.Name, t.Action!))];

    /// <summary>The options only some tasks read, and those tasks.</summary>
    internal static readonly (string Option, Func<BuildOptions, bool> Given, string[] Tasks)[] TaskOptions =
    [
        ("--to", o => o.UpgradeTo is not null, ["UpgradeCluster"]),
        ("--node", o => o.Node is not null, ["RemoveNode"]),
        ("--snapshot", o => o.Snapshot is not null, ["RestoreEtcd"]),
        ("--apply-plan", o => o.ApplyPlan is not null, ["ApplyInfrastructure", "RollbackInfrastructure"]),
        ("--revision", o => o.Revision is not null, ["RollbackInfrastructure", "RollbackApp"]),
        ("--git-token-file", o => o.GitTokenFile is not null, ["ConfigureRepositoryAccess"]),
    ];

    /// <summary>
    /// An option no task of this run reads is a mistake (a plan meant for another
    /// target, a revision without a rollback): refused before anything runs, not ignored.
    /// </summary>
    internal static void RefuseUnusedOptions(BuildContext context, IReadOnlySet<string> tasks)
    {
        if (UnusedOption(context.Options, tasks) is { } refusal)
        {
            throw new SafetyException(refusal);
        }
    }

    /// <summary>Why these options do not fit these tasks, or null (also asked of the commands documents give).</summary>
    internal static string? UnusedOption(BuildOptions options, IReadOnlySet<string> tasks) =>
        TaskOptions.Where(o => o.Given(options) && !o.Tasks.Any(tasks.Contains))
            .Select(o => $"{o.Option} is read only by {string.Join(" and ", o.Tasks)}, which this run does not include: drop it or add --target={o.Tasks[0]}")
            .FirstOrDefault();

    /// <summary>
    /// An action's own inputs (RollbackApp's --revision, UpgradeCluster's --to and its
    /// skew, RestoreEtcd's --snapshot) are checked before the first task of a live run:
    /// with two targets, the second one's bad input must not wait until the first changed something.
    /// </summary>
    internal static void RefuseBadActionInputs(BuildContext context, IReadOnlyList<(string Task, PlatformAction Action)> actions)
    {
        if (context.Mode != RunMode.Live)
        {
            return;
        }

        var refusals = actions.Select(a => a.Action.Refuse?.Invoke(context)).OfType<string>().ToList();
        if (refusals.Count > 0)
        {
            throw new SafetyException($"{string.Join("; ", refusals)}; nothing was run");
        }
    }

    /// <summary>Prod changes need --confirm=prod; say which tasks would change it, before any of them runs.</summary>
    internal static void RefuseUnconfirmedProd(BuildContext context, IReadOnlyList<(string Task, PlatformAction Action)> actions)
    {
        if (UnconfirmedProd(context.Mode, context.Options, actions) is { } refusal)
        {
            throw new SafetyException(refusal);
        }
    }

    /// <summary>Why a run with these options and actions may not start on prod, or null (also asked of documented commands).</summary>
    internal static string? UnconfirmedProd(RunMode mode, BuildOptions options, IReadOnlyList<(string Task, PlatformAction Action)> actions) =>
        mode != RunMode.Live || options.Environment != PlatformEnvironment.Prod || options.Confirmed || actions.Count == 0
            ? null
            : $"refusing to change prod without --confirm=prod: {string.Join(", ", actions.Select(a => a.Task))} would change it; nothing was run. Add --confirm=prod to go ahead";
}
