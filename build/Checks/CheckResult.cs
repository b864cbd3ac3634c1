namespace Platform.Build.Checks;

/// <summary>One row of the run's report.</summary>
public sealed record CheckResult(
    string Task,
    string? SeedId,
    string Item,
    ResultKind Kind,
    CheckScope Scope,
    CheckStatus Status,
    string Detail,
    TimeSpan Duration)
{
    public bool IsNotImplemented => new Outcome(Status, Detail).IsNotImplemented;
}

/// <summary>Every result of this run, in the order they happened. Thread-safe for the simple appends it sees.</summary>
public sealed class CheckLedger
{
    private readonly List<CheckResult> _results = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<CheckResult> Results
    {
        get
        {
            lock (_gate)
            {
                return [.. _results];
            }
        }
    }

    public void Add(CheckResult result)
    {
        lock (_gate)
        {
            _results.Add(result);
        }
    }
}
