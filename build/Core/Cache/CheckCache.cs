using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Core.Cache;

/// <summary>
/// The run's result cache: looks a check up by the hash of its inputs,
/// replays a hit, runs a miss and says why it missed. Off with --no-cache
/// (every check runs, and the passes are recorded for the next run).
/// </summary>
public sealed class CheckCache(InputScan scan, ResultCache store, bool replay, string spec)
{
    public InputScan Scan { get; } = scan;
    public ResultCache Store { get; } = store;

    /// <summary>False with --no-cache: nothing is replayed (passes are still recorded).</summary>
    public bool Replay { get; } = replay;

    public static CheckCache Of(BuildContext context) => context.Shared(c => new CheckCache(
        new InputScan(c.Paths.Root, c.Options.CacheKey, c.Mode.ToString(), () => Tools.Network.Unavailable()),
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

    private static string RunId() => $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}";
}
