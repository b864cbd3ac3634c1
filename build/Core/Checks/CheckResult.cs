namespace Platform.Build.Core.Checks;

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

    /// <summary>For offline and lint checks: "cached: run R, T" for a replayed pass, else why it ran ("ran: file X changed").</summary>
    public string? Cache { get; init; }

    /// <summary>The row was replayed from an earlier run's pass on identical inputs.</summary>
    public bool Cached { get; init; }
}

/// <summary>Evidence too big for a row (a matrix, a table), shown after the rows in every report.</summary>
public sealed record Exhibit(string Title, string Markdown)
{
    /// <summary>A report file of its own under artifacts/reports (the content as is), named in the summary instead of shown in it.</summary>
    public string? File { get; init; }
}

/// <summary>Every result of this run, in the order they happened. Thread-safe for the simple appends it sees.</summary>
public sealed class CheckLedger
{
    private readonly List<CheckResult> _results = [];
    private readonly List<Exhibit> _exhibits = [];
    private readonly Lock _gate = new();
    private readonly AsyncLocal<List<Exhibit>?> _capture = new();

    public IReadOnlyList<Exhibit> Exhibits
    {
        get
        {
            lock (_gate)
            {
                return [.. _exhibits];
            }
        }
    }

    /// <summary>Adds an exhibit, replacing one of the same title (a task run twice shows its last).</summary>
    public void AddExhibit(Exhibit exhibit)
    {
        lock (_gate)
        {
            _exhibits.RemoveAll(e => e.Title == exhibit.Title);
            _exhibits.Add(exhibit);
            _capture.Value?.Add(exhibit);
        }
    }

    /// <summary>Also collects the exhibits added by this flow (one check) into <paramref name="into"/>, until disposed.</summary>
    public IDisposable Capture(List<Exhibit> into)
    {
        var before = _capture.Value;
        _capture.Value = into;
        return new Restore(() => _capture.Value = before);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

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
