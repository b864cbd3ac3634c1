using System.Reflection;
using System.Runtime.ExceptionServices;
using Cake.Core.Diagnostics;
using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Logs;
using Platform.Build.Frosting;

namespace Platform.Build.Core.Tasks;

/// <summary>A task whose checks failed; the message counts them (the rows are in the report).</summary>
public sealed class ChecksFailedException(string message) : Exception(message);

/// <summary>
/// A platform task: an optional action (a change to real systems) and a
/// checklist, run by <see cref="CheckRunner"/> with the statuses it decides.
/// A failed row fails the task.
/// </summary>
public abstract class PlatformTask : AsyncFrostingTask<BuildContext>
{
    /// <summary>The item every seed task with files carries; the files are the spec's "Files to Create" list (specs/platform/tasks.md).</summary>
    public const string FilesItem = "Listed files exist and are well-formed";

    /// <summary>What the task changes in the world, if anything.</summary>
    public virtual PlatformAction? Action => null;

    public string Name => TaskCatalog.NameOf(GetType());

    public override async Task RunAsync(BuildContext context)
    {
        var logs = context.Log as TaskLogs;
        IReadOnlyList<CheckResult> results;
        TaskLog? log;
        if (context.Ahead?.Take(Name) is { } started)
        {
            // Run beside others: its console lines were held until now, its turn.
            (results, log) = await started.ConfigureAwait(false);
            log?.Flush();
        }
        else
        {
            logs?.Progress($"running: {Name}");
            log = logs?.Open(Path.Combine(context.Paths.Artifacts, "logs"), Name, hold: false);
            using (log is null ? null : logs!.Enter(log))
            {
                await PrepareAsync(context).ConfigureAwait(false);
                results = await RunChecksAsync(context).ConfigureAwait(false);
            }
        }

        using (log)
        using (log is null ? null : logs!.Enter(log))
        {
            CheckRunner.Record(context, results);
            Summarize(context, results, log);
        }

        var failed = results.Where(r => r.Status == CheckStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            var missing = failed.Count(r => r.IsNotImplemented);
            var note = missing > 0 ? $" ({missing} not implemented yet)" : string.Empty;
            throw new ChecksFailedException($"{Name}: {failed.Count} of {results.Count} checks failed{note}");
        }
    }

    /// <summary>Work before the checks, at the task's turn, into its log (Doctor installs tools here).</summary>
    protected virtual Task PrepareAsync(BuildContext context) => Task.CompletedTask;

    /// <summary>Which lane of <see cref="AheadOfTurn"/> the task's checks may run ahead in; null: only at its turn.</summary>
    public virtual string? Lane => null;

    /// <summary>The action and checklist, run; the rows are recorded by the caller, at the task's turn.</summary>
    internal Task<IReadOnlyList<CheckResult>> RunChecksAsync(BuildContext context)
    {
        var checklist = BuildChecklist(context.Spec);
        return CheckRunner.RunAsync(context, Name, SeedId, ItemsToCheck(context, checklist), checklist, Action);
    }

    /// <summary>One console line per task: its counts, how many were replayed, where its log is.</summary>
    private void Summarize(BuildContext context, IReadOnlyList<CheckResult> results, TaskLog? log)
    {
        var counts = string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        var cached = results.Count(r => r.Cached);
        var replayed = cached > 0 ? $" ({cached} cached)" : string.Empty;
        var where = log is not null && results.Any(r => r.Status == CheckStatus.Failed) ? $"; log: {context.Paths.Relative(log.Path)}" : string.Empty;
        context.Log.Information("{0,-36} {1}{2}{3}", $"{(SeedId is null ? string.Empty : SeedId + " ")}{Name}", counts.Length == 0 ? "nothing to check" : counts, replayed, where);
    }

    public override void OnError(Exception exception, BuildContext context)
    {
        if (exception is not ChecksFailedException)
        {
            // The task broke outside its checks: no row says so yet, and without one the run would look clean.
            context.Ledger.Add(new CheckResult(Name, SeedId, "The task ran to the end", ResultKind.Check, CheckScope.Lint,
                CheckStatus.Failed, $"{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}", TimeSpan.Zero));
        }

        // An error handler makes Cake go on; in a run that can change real
        // systems, nothing may run after a failure, so the error goes back up.
        if (!context.KeepGoing)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        context.Log.Warning("{0} failed; going on so the report covers every item (nothing in this run can change real systems).", Name);
    }

    public virtual string? SeedId => null;

    /// <summary>The files the spec lists for this task ("Files to Create"; none yet without the spec), or null for a task the spec gives no files.</summary>
    protected virtual IReadOnlyList<string>? ListedFiles(Spec.SpecDocument? spec) => null;

    /// <summary>Binds checks to items. Items with no binding report "not implemented yet".</summary>
    protected virtual void Define(Checklist checklist)
    {
    }

    /// <summary>The items to report, in order; by default what the task binds.</summary>
    protected virtual IReadOnlyList<string> ItemsToCheck(BuildContext context, Checklist checklist) =>
        [.. checklist.Definitions.Select(d => d.Item)];

    internal Checklist BuildChecklist(Spec.SpecDocument? spec = null)
    {
        var checklist = new Checklist();
        if (ListedFiles(spec) is { } listed)
        {
            // The spec owns the list: the class restates nothing of it.
            // It reads the listed files (and the spec, which every key holds); a listed folder is everything under it.
            checklist.OfflineIfListed(FilesItem, new CheckInputs([.. listed.SelectMany(f => new[] { f, $"{f}/**" })]),
                c => FileChecks.Check(c.Paths, ListedFiles(c.Spec) ?? []));
        }

        Define(checklist);
        return checklist;
    }
}

/// <summary>The seed task a class mirrors: <c>[SeedTask("1.2")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SeedTaskAttribute(string id) : Attribute
{
    public string Id { get; } = id;
}

/// <summary>A task of the seed's list (1.1-4.6): its checklist is the spec's Validation list.</summary>
public abstract class SeedTask : PlatformTask
{
    public override string SeedId => GetType().GetCustomAttribute<SeedTaskAttribute>()?.Id
        ?? throw new InvalidOperationException($"{GetType().Name} needs a [SeedTask(\"x.y\")] attribute");

    protected override IReadOnlyList<string>? ListedFiles(Spec.SpecDocument? spec) => spec?.FindTask(SeedId)?.Files ?? [];

    /// <summary>A phase is one lane: its tasks share a domain session.</summary>
    public override string Lane => $"phase {SeedId.Split('.')[0]}";

    protected override IReadOnlyList<string> ItemsToCheck(BuildContext context, Checklist checklist) =>
        context.Spec.FindTask(SeedId)?.Validation
        ?? throw new ChecksFailedException($"{Name}: Task {SeedId} is not in {context.Paths.Relative(context.Paths.Spec)}: add it or fix [SeedTask]");
}

/// <summary>A checkpoint of the spec: its items usually follow the phase's checks (<see cref="Checklist.Derived"/>).</summary>
public abstract class CheckpointTask : PlatformTask
{
    public abstract int Number { get; }

    protected override IReadOnlyList<string> ItemsToCheck(BuildContext context, Checklist checklist) =>
        context.Spec.FindCheckpoint(Number)?.Items
        ?? throw new ChecksFailedException($"{Name}: Checkpoint {Number} is not in {context.Paths.Relative(context.Paths.Spec)}");
}

/// <summary>The spec's post-implementation list (<c>## Post-Implementation Tasks</c>): its items, in their groups, are the checklist.</summary>
public abstract class PostImplementationTask : PlatformTask
{
    protected override IReadOnlyList<string>? ListedFiles(Spec.SpecDocument? spec) => spec?.PostImplementation?.Files ?? [];

    protected override IReadOnlyList<string> ItemsToCheck(BuildContext context, Checklist checklist) =>
        context.Spec.PostImplementation?.Items is { Count: > 0 } items
            ? items
            : throw new ChecksFailedException($"{Name}: {context.Paths.Relative(context.Paths.Spec)} has no '## Post-Implementation Tasks' list");
}
