using Platform.Build.Core.Cache;
using Platform.Build.Core.Context;

namespace Platform.Build.Core.Checks;

/// <summary>An implementation bound to a checklist item by its exact text.</summary>
public sealed record CheckDefinition(string Item, CheckScope Scope, Needs Needs, Func<BuildContext, Task<Outcome>> Run)
{
    /// <summary>For derived items: the (task, item) pairs the status follows.</summary>
    public IReadOnlyList<(string Task, string Item)> Sources { get; init; } = [];

    /// <summary>Bound for every task, reported only where the spec lists the item (not drift where it does not).</summary>
    public bool IfListed { get; init; }

    /// <summary>What the result depends on (offline and lint checks; the key of its cached pass).</summary>
    public CheckInputs Inputs { get; init; } = CheckInputs.Repository;
}

/// <summary>
/// Something a task changes in the world (terraform apply, a playbook, a
/// cluster apply). <see cref="Run"/> is null until the phase implements it.
/// </summary>
public sealed record PlatformAction(string Description, Needs Needs, Func<BuildContext, Task<Outcome>>? Run = null)
{
    /// <summary>Why the action's own inputs refuse it (checked before anything outside is asked), or null.</summary>
    public Func<BuildContext, string?>? Refuse { get; init; }
}

/// <summary>
/// What a task binds to its checklist items. The item texts must be the
/// spec's (specs/platform/tasks.md); an item with no binding is reported
/// "not implemented yet".
/// </summary>
public sealed class Checklist
{
    private readonly List<CheckDefinition> _definitions = [];
    private CheckInputs _reads = CheckInputs.Repository;

    public IReadOnlyList<CheckDefinition> Definitions => _definitions;

    /// <summary>What the checks bound after this read (default: the whole repository).</summary>
    public Checklist Reads(CheckInputs inputs)
    {
        _reads = inputs;
        return this;
    }

    /// <inheritdoc cref="Reads(CheckInputs)"/>
    public Checklist Reads(params string[] files) => Reads(new CheckInputs(files));

    /// <summary>What the check bound last reads, instead of the checklist's <see cref="Reads(CheckInputs)"/>.</summary>
    public Checklist Reading(CheckInputs inputs)
    {
        _definitions[^1] = _definitions[^1] with { Inputs = inputs };
        return this;
    }

    /// <inheritdoc cref="Reading(CheckInputs)"/>
    public Checklist Reading(params string[] files) => Reading(new CheckInputs(files));

    public Checklist Lint(string item, Func<BuildContext, Outcome> run) => Add(item, CheckScope.Lint, Needs.Nothing, c => Task.FromResult(run(c)));

    public Checklist Lint(string item, Func<BuildContext, Task<Outcome>> run) => Add(item, CheckScope.Lint, Needs.Nothing, run);

    public Checklist Offline(string item, Func<BuildContext, Outcome> run) => Add(item, CheckScope.Offline, Needs.Nothing, c => Task.FromResult(run(c)));

    public Checklist Offline(string item, Func<BuildContext, Task<Outcome>> run) => Add(item, CheckScope.Offline, Needs.Nothing, run);

    /// <summary>An offline check a base class binds for every task; it reports only where the task's spec lists the item.</summary>
    public Checklist OfflineIfListed(string item, CheckInputs inputs, Func<BuildContext, Outcome> run)
    {
        _definitions.Add(new CheckDefinition(item, CheckScope.Offline, Needs.Nothing, c => Task.FromResult(run(c))) { IfListed = true, Inputs = inputs });
        return this;
    }

    public Checklist Live(string item, Needs needs, Func<BuildContext, Task<Outcome>> run) => Add(item, CheckScope.Live, needs, run);

    /// <summary>A human-only item: reported Manual with how to check it, never Passed.</summary>
    public Checklist Manual(string item, string how) => Add(item, CheckScope.Manual, Needs.Nothing, _ => Task.FromResult(Outcome.Manual(how)));

    /// <summary>
    /// An item whose status follows other tasks' items from this run (used by
    /// checkpoints): Failed if any failed, else Skipped if any skipped or did
    /// not run, else Manual if any is manual, else Passed.
    /// </summary>
    public Checklist Derived(string item, params (string Task, string Item)[] sources) =>
        sources.Length == 0 ? throw new ArgumentException($"derived item '{item}' needs at least one source") : Add(item, CheckScope.Offline, Needs.Nothing, c => Task.FromResult(DerivedOutcome.From(c.Ledger, sources)), sources)
            .Reading(CheckInputs.Never("it follows this run's results of other items"));

    public CheckDefinition? Find(string item)
    {
        var key = Spec.SpecDocument.Normalize(item);
        return _definitions.FirstOrDefault(d => Spec.SpecDocument.Normalize(d.Item) == key);
    }

    private Checklist Add(string item, CheckScope scope, Needs needs, Func<BuildContext, Task<Outcome>> run, IReadOnlyList<(string Task, string Item)>? sources = null)
    {
        if (Find(item) is not null)
        {
            throw new InvalidOperationException($"checklist item '{item}' is bound twice");
        }

        _definitions.Add(new CheckDefinition(item, scope, needs, run) { Sources = sources ?? [], Inputs = _reads });
        return this;
    }
}

/// <summary>Combines the results of other items into one (checkpoints).</summary>
internal static class DerivedOutcome
{
    public static Outcome From(CheckLedger ledger, IReadOnlyList<(string Task, string Item)> sources)
    {
        var parts = sources.Select(s =>
        {
            var key = Spec.SpecDocument.Normalize(s.Item);
            var result = ledger.Results.LastOrDefault(r => r.Task == s.Task && Spec.SpecDocument.Normalize(r.Item) == key);
            return (Name: $"{s.Task} '{s.Item}'", Result: result);
        }).ToList();

        string Names(IEnumerable<(string Name, CheckResult? Result)> items) => string.Join(", ", items.Select(p => p.Name));

        var failed = parts.Where(p => p.Result?.Status == CheckStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            var broken = failed.Where(p => !p.Result!.IsNotImplemented).ToList();
            return broken.Count == 0
                ? Outcome.NotImplemented(Names(failed))
                : Outcome.Fail(string.Join("; ", broken.Select(p => $"{p.Name} failed: {p.Result!.Detail}")));
        }

        // One line per distinct reason, naming the items it holds back.
        var skipped = parts.Where(p => p.Result is null || p.Result.Status == CheckStatus.Skipped)
            .GroupBy(p => p.Result?.Detail ?? "did not run in this build")
            .Select(g => $"{g.Key} ({Names(g)})")
            .ToList();
        if (skipped.Count > 0)
        {
            return Outcome.Skip(string.Join("; ", skipped));
        }

        var manual = parts.Where(p => p.Result!.Status == CheckStatus.Manual).ToList();
        return manual.Count > 0
            ? Outcome.Manual(string.Join("; ", manual.Select(p => $"{p.Name}: {p.Result!.Detail}")))
            : Outcome.Pass($"passed: {Names(parts)}");
    }
}
