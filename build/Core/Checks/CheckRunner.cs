using System.Diagnostics;
using Cake.Core.Diagnostics;
using Platform.Build.Core.Cache;
using Platform.Build.Core.Context;
using Platform.Build.Core.Spec;

namespace Platform.Build.Core.Checks;

/// <summary>
/// Runs one task's action and checklist for the run's mode; the task records
/// the rows in the ledger at its turn. Statuses follow one rule set, in one place:
/// Lint checks always run; Offline checks run outside Lint; Live checks run in
/// live runs when their needs are met, else Skipped with the reason; Manual
/// items are Manual; spec items without a binding are "not implemented yet".
/// </summary>
public static class CheckRunner
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(
        BuildContext context, string task, string? seedId, IReadOnlyList<string> specItems, Checklist checklist, PlatformAction? action)
    {
        var results = new List<CheckResult>();
        if (action is not null && context.Mode != RunMode.Lint)
        {
            results.Add(await RunActionAsync(context, task, seedId, action).ConfigureAwait(false));
            if (results[^1].Status == CheckStatus.Failed)
            {
                // Checks of a failed change would only repeat the failure.
                return results;
            }
        }

        var specKeys = specItems.Select(SpecDocument.Normalize).ToHashSet();
        foreach (var item in specItems)
        {
            var definition = checklist.Find(item);
            if (definition is null)
            {
                if (context.Mode != RunMode.Lint)
                {
                    results.Add(Row(task, seedId, item, ResultKind.Check, CheckScope.Offline,
                        Outcome.NotImplemented("no check is wired to this item"), TimeSpan.Zero));
                }

                continue;
            }

            if (context.Mode == RunMode.Lint && definition.Scope != CheckScope.Lint)
            {
                continue;
            }

            results.Add(await RunCheckAsync(context, task, seedId, item, definition).ConfigureAwait(false));
        }

        // A binding for text the spec does not have is drift between code and spec.
        foreach (var orphan in checklist.Definitions.Where(d => !d.IfListed && !specKeys.Contains(SpecDocument.Normalize(d.Item))))
        {
            results.Add(Row(task, seedId, orphan.Item, ResultKind.Check, orphan.Scope,
                Outcome.Fail($"{task} checks '{orphan.Item}', which {context.Paths.Relative(context.Paths.Spec)} does not list for this task: make the texts match"),
                TimeSpan.Zero));
        }

        return results;
    }

    private static async Task<CheckResult> RunCheckAsync(BuildContext context, string task, string? seedId, string item, CheckDefinition definition)
    {
        if (definition.Scope == CheckScope.Live)
        {
            if (context.Mode != RunMode.Live)
            {
                return Row(task, seedId, item, ResultKind.Check, definition.Scope,
                    Outcome.Skip($"{context.Mode} runs offline checks only: run --target={task} with what it needs ({Describe(definition.Needs)})"), TimeSpan.Zero);
            }

            if (context.Missing(definition.Needs) is { } missing)
            {
                return Row(task, seedId, item, ResultKind.Check, definition.Scope, Outcome.Skip(missing), TimeSpan.Zero);
            }
        }

        if (definition.Scope is CheckScope.Live or CheckScope.Manual)
        {
            return await TimedAsync(context, task, seedId, item, ResultKind.Check, definition.Scope, () => definition.Run(context)).ConfigureAwait(false);
        }

        // Offline and lint checks: replayed when an earlier run passed on identical inputs.
        string? note = null;
        var hit = false;
        var row = await TimedAsync(context, task, seedId, item, ResultKind.Check, definition.Scope, async () =>
        {
            var (outcome, why, cached) = await CheckCache.Of(context).RunAsync(context, task, item, definition.Inputs, () => definition.Run(context)).ConfigureAwait(false);
            (note, hit) = (why, cached);
            return outcome;
        }).ConfigureAwait(false);
        return row with { Cache = note, Cached = hit };
    }

    private static async Task<CheckResult> RunActionAsync(BuildContext context, string task, string? seedId, PlatformAction action)
    {
        var item = $"Action: {action.Description}";
        if (context.Mode != RunMode.Live)
        {
            return Row(task, seedId, item, ResultKind.Action, CheckScope.Live,
                Outcome.Skip($"{context.Mode} changes nothing: run --target={task} to {action.Description}"), TimeSpan.Zero);
        }

        if (action.Run is null)
        {
            return Row(task, seedId, item, ResultKind.Action, CheckScope.Live, Outcome.NotImplemented(action.Description), TimeSpan.Zero);
        }

        if (context.Missing(action.Needs) is { } missing)
        {
            return Row(task, seedId, item, ResultKind.Action, CheckScope.Live, Outcome.Skip(missing), TimeSpan.Zero);
        }

        if (context.Options.Environment == PlatformEnvironment.Prod && !context.Options.Confirmed)
        {
            // The lifetime refuses before the first task; this guards a task run without it.
            return Row(task, seedId, item, ResultKind.Action, CheckScope.Live,
                Outcome.Fail("refused: changing prod needs --confirm=prod"), TimeSpan.Zero);
        }

        if (action.Refuse?.Invoke(context) is { } badInput)
        {
            return Row(task, seedId, item, ResultKind.Action, CheckScope.Live, Outcome.Fail(badInput), TimeSpan.Zero);
        }

        // One run touches one cluster: before its first change, the cluster shows it is --env's.
        if (action.Needs.HasFlag(Needs.Cluster) && await ClusterIdentity.Refusal(context).ConfigureAwait(false) is { } refusal)
        {
            return Row(task, seedId, item, ResultKind.Action, CheckScope.Live, Outcome.Fail(refusal), TimeSpan.Zero);
        }

        var row = await TimedAsync(context, task, seedId, item, ResultKind.Action, CheckScope.Live, () => action.Run(context)).ConfigureAwait(false);

        // An action may write the repository (Task 1.6 saves the Terraform outputs): the checks after it key on the files as they are now.
        CheckCache.Of(context).Rescan();
        return row;
    }

    private static async Task<CheckResult> TimedAsync(
        BuildContext context, string task, string? seedId, string item, ResultKind kind, CheckScope scope, Func<Task<Outcome>> run)
    {
        var clock = Stopwatch.StartNew();
        Outcome outcome;
        if (Tools.Interrupts.Interrupted)
        {
            // Nothing more runs after Ctrl-C; the row says so rather than pretending a result.
            return Row(task, seedId, item, kind, scope, Outcome.Skip($"not run: {Tools.Interrupts.Reason}"), TimeSpan.Zero);
        }

        try
        {
            outcome = await run().ConfigureAwait(false);
        }
        catch (Tools.InterruptedException e)
        {
            outcome = Outcome.Fail($"interrupted: {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            context.Log.Verbose("{0}: {1}", item, e);
            outcome = Outcome.Fail($"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }

        return Row(task, seedId, item, kind, scope, outcome, clock.Elapsed);
    }

    private static CheckResult Row(string task, string? seedId, string item, ResultKind kind, CheckScope scope, Outcome outcome, TimeSpan duration) =>
        new(task, seedId, item, kind, scope, outcome.Status, outcome.Detail, duration);

    /// <summary>Adds the rows to the ledger, at the task's turn; a failure reaches the console with its evidence, the rest the task's log.</summary>
    public static void Record(BuildContext context, IEnumerable<CheckResult> results)
    {
        foreach (var result in results)
        {
            context.Ledger.Add(result);
            var failed = result.Status == CheckStatus.Failed;
            context.Log.Write(failed ? Verbosity.Minimal : Verbosity.Verbose, failed ? LogLevel.Error : LogLevel.Information,
                "  {0,-7} {1} - {2}{3}", Tag(result.Status), result.Item, result.Detail, result.Cache is { } cache ? $" [{cache}]" : string.Empty);
        }
    }

    public static string Tag(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "PASS",
        CheckStatus.Failed => "FAIL",
        CheckStatus.Skipped => "SKIP",
        CheckStatus.Manual => "MANUAL",
        _ => status.ToString(),
    };

    private static string Describe(Needs needs) => needs == Needs.Nothing
        ? "nothing outside the repository"
        : string.Join(", ", Enum.GetValues<Needs>().Where(n => n != Needs.Nothing && needs.HasFlag(n)).Select(n => n switch
        {
            Needs.AwsCredentials => "AWS credentials",
            Needs.Cluster => "--kubeconfig=PATH",
            Needs.Hosts => "the Terraform outputs of Task 1.6",
            _ => n.ToString(),
        }));
}
