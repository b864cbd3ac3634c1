namespace Platform.Build.Core.Checks;

/// <summary>What a check or action found. <see cref="Detail"/> is the evidence: file, line, tool output.</summary>
public sealed record Outcome(CheckStatus Status, string Detail)
{
    public const string NotImplementedPrefix = "not implemented yet";

    public static Outcome Pass(string detail) => new(CheckStatus.Passed, detail);

    public static Outcome Fail(string detail) => new(CheckStatus.Failed, detail);

    public static Outcome Skip(string reason) => new(CheckStatus.Skipped, reason);

    public static Outcome Manual(string how) => new(CheckStatus.Manual, how);

    /// <summary>The repository does not have this yet: a failure, never a skip.</summary>
    public static Outcome NotImplemented(string what) => new(CheckStatus.Failed, $"{NotImplementedPrefix}: {what}");

    public bool IsNotImplemented => Status == CheckStatus.Failed && Detail.StartsWith(NotImplementedPrefix, StringComparison.Ordinal);

    /// <summary>Several checks as one item: the first that did not pass, else Passed with every detail.</summary>
    public static Outcome All(params Outcome[] outcomes) =>
        outcomes.FirstOrDefault(o => o.Status != CheckStatus.Passed)
        ?? Pass(string.Join("; ", outcomes.Select(o => o.Detail)));

    /// <summary>Passed when every finding is empty, else Failed listing them (at most ten shown).</summary>
    public static Outcome FromFindings(IReadOnlyCollection<string> findings, string passed)
    {
        if (findings.Count == 0)
        {
            return Pass(passed);
        }

        var shown = findings.Take(10).ToList();
        var more = findings.Count > shown.Count ? $"; and {findings.Count - shown.Count} more" : string.Empty;
        return Fail(string.Join("; ", shown) + more);
    }
}
