using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Core.Reports;

/// <summary>What every report says about a run: its context and its rows.</summary>
public sealed record RunSummary(
    string Targets,
    string Environment,
    RunMode Mode,
    DateTimeOffset Finished,
    IReadOnlyList<CheckResult> Results)
{
    /// <summary>Matrices and tables the checks produced as evidence.</summary>
    public IReadOnlyList<Exhibit> Exhibits { get; init; } = [];

    public int Passed => Count(CheckStatus.Passed);
    public int Failed => Count(CheckStatus.Failed);
    public int Skipped => Count(CheckStatus.Skipped);
    public int Manual => Count(CheckStatus.Manual);
    public int NotImplemented => Results.Count(r => r.IsNotImplemented);

    /// <summary>"12 passed, 3 failed (2 not implemented yet), 5 skipped, 1 manual".</summary>
    public string Totals =>
        $"{Passed} passed, {Failed} failed{(NotImplemented > 0 ? $" ({NotImplemented} not implemented yet)" : string.Empty)}, {Skipped} skipped, {Manual} manual";

    public string ModeText => Mode switch
    {
        RunMode.Lint => "Lint (formatting and linting; changes nothing)",
        RunMode.Validate => "Validate (offline checks; changes nothing)",
        _ => "live (actions and live checks run when their credentials are present)",
    };

    /// <summary>Rows grouped by task in run order.</summary>
    public IEnumerable<IGrouping<string, CheckResult>> ByTask => Results.GroupBy(r => r.Task);

    private int Count(CheckStatus status) => Results.Count(r => r.Status == status);
}
