using Spectre.Console;
using Platform.Build.Core.Checks;

namespace Platform.Build.Core.Reports;

/// <summary>
/// The run's end on the console, short enough to read: every failure with its
/// evidence, the skip reasons with their counts, the exhibits by title, what
/// the cache replayed and why the rest ran, the totals. Every row is in
/// artifacts/reports (summary.md, checks.json, junit.xml).
/// </summary>
public static class ConsoleReport
{
    /// <summary>Distinct skip reasons and miss reasons shown before "and N more".</summary>
    public const int ReasonLines = 8;

    public static void Write(IAnsiConsole console, RunSummary summary)
    {
        if (summary.Results.Count == 0)
        {
            return;
        }

        console.WriteLine();
        console.MarkupLine($"[bold]Checks - env {Markup.Escape(summary.Environment)}, {Markup.Escape(summary.ModeText)}[/]");
        foreach (var row in summary.Results.Where(r => r.Status == CheckStatus.Failed))
        {
            console.MarkupLine($"  [red]FAIL[/] {Markup.Escape(Label(row))}: {Markup.Escape(row.Item)}");
            console.WriteLine($"       {Shorten(row.Detail, 600)}");
        }

        Reasons(console, "skipped", summary.Results.Where(r => r.Status == CheckStatus.Skipped).Select(r => Reason(r.Detail)));
        foreach (var row in summary.Results.Where(r => r.Status == CheckStatus.Manual))
        {
            console.WriteLine($"  manual: {Label(row)}: {row.Item}");
        }

        foreach (var exhibit in summary.Exhibits)
        {
            console.WriteLine($"  exhibit: {exhibit.Title} (artifacts/reports/{exhibit.File ?? "summary.md"})");
        }

        var cached = summary.Results.Count(r => r.Cached);
        var ran = summary.Results.Where(r => r.Cache is { } note && note.StartsWith("ran: ", StringComparison.Ordinal)).ToList();
        if (cached > 0 || ran.Count > 0)
        {
            console.WriteLine($"  cache: {cached} replayed, {ran.Count} ran (--no-cache runs everything)");
            Reasons(console, "ran", ran.Select(r => r.Cache!["ran: ".Length..]));
        }

        console.MarkupLine($"[bold]{Markup.Escape(summary.Totals)}[/]");
    }

    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    private static string Label(CheckResult row) => row.SeedId is null ? row.Task : $"{row.SeedId} {row.Task}";

    /// <summary>A reason without the task it names ("Validate runs offline checks only"), so alike reasons count together.</summary>
    private static string Reason(string detail)
    {
        var colon = detail.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? detail[..colon] : Shorten(detail, 120);
    }

    private static void Reasons(IAnsiConsole console, string what, IEnumerable<string> reasons)
    {
        var groups = reasons.GroupBy(r => r).OrderByDescending(g => g.Count()).ToList();
        foreach (var group in groups.Take(ReasonLines))
        {
            console.WriteLine($"  {what} {group.Count(),3}: {Shorten(group.Key, 140)}");
        }

        if (groups.Count > ReasonLines)
        {
            console.WriteLine($"  {what}: {groups.Count - ReasonLines} more reasons in artifacts/reports/summary.md");
        }
    }
}
