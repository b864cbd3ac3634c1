using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Core.Cache;

/// <summary>
/// The run's result cache: looks a check up by the hash of its inputs,
/// replays a hit, runs a miss and says why it missed. Off with --no-cache
/// (every check runs, and the passes are recorded for the next run).
/// </summary>
public sealed class CheckCache(Func<InputScan> scanner, ResultCache store, bool replay, string spec)
{
    private InputScan _scan = scanner();

    /// <summary>The run's hashes; taken again after anything that may write the repository (<see cref="Rescan"/>).</summary>
    public InputScan Scan => Volatile.Read(ref _scan);
    public ResultCache Store { get; } = store;

    /// <summary>False with --no-cache: nothing is replayed (passes are still recorded).</summary>
    public bool Replay { get; } = replay;

    public static CheckCache Of(BuildContext context) => context.Shared(c => new CheckCache(
        () => new InputScan(c.Paths.Root, c.Options.CacheKey, c.Mode.ToString(), () => Tools.Network.Unavailable()),
        new ResultCache(Path.Combine(c.Paths.Artifacts, "cache", "checks"), RunId(), () => DateTimeOffset.UtcNow),
        !c.Options.NoCache,
        c.Paths.Relative(c.Paths.Spec)));

    /// <summary>Runs <paramref name="check"/> unless an identical earlier run passed; the row says which.</summary>
    public async Task<(Outcome Outcome, string Note, bool Hit)> RunAsync(
        BuildContext context, string task, string item, CheckInputs inputs, Func<Task<Outcome>> check)
    {
        if (inputs.NotCached is { } never)
        {
            var outcome = await check().ConfigureAwait(false);

            if (inputs.Writes)
            {
                // It wrote the repository (a render, the docs): later keys hash the files as they are now.
                Rescan();
            }

            return (outcome, $"not cached: {never}", false);
        }

        var components = Scan.Components(inputs, [spec]);
        string reason;
        if (Replay)
        {
            var lookup = Store.Lookup(task, item, components, inputs.MaxAge, inputs.Outside);
            if (lookup.Hit is { } hit)
            {
                foreach (var exhibit in hit.Exhibits)
                {
                    context.Ledger.AddExhibit(exhibit);
                }

                return (new Outcome(hit.Status, hit.Detail), lookup.Reason, true);
            }

            reason = lookup.Reason;
        }
        else
        {
            reason = "--no-cache";
        }

        var exhibits = new List<Exhibit>();
        Outcome result;
        using (context.Ledger.Capture(exhibits))
        {
            result = await check().ConfigureAwait(false);
        }

        Store.Record(task, item, components, result, exhibits);
        return (result, $"ran: {reason}", false);
    }

    /// <summary>Hash the repository again for the checks after this point (an action or a writing check ran).</summary>
    public void Rescan() => Volatile.Write(ref _scan, scanner());

    private static string RunId() => $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}";
}
