using Spectre.Console;
using Platform.Build.Core.Checks;

namespace Platform.Build.Core.Reports;

/// <summary>The check table on the console (Spectre.Console).</summary>
public static class ConsoleReport
{
    public static void Write(IAnsiConsole console, RunSummary summary)
    {
        if (summary.Results.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.Title = new TableTitle($"Checks - env {summary.Environment}, {Markup.Escape(summary.ModeText)}");
        table.AddColumn("Task");
        table.AddColumn("Item");
        table.AddColumn(new TableColumn("Status").NoWrap());
        table.AddColumn("Detail");
        foreach (var group in summary.ByTask)
        {
            var first = true;
            foreach (var row in group)
            {
                var task = first ? $"{(row.SeedId is null ? string.Empty : row.SeedId + " ")}{row.Task}" : string.Empty;
                table.AddRow(Markup.Escape(task), Markup.Escape(row.Item), Status(row.Status), Markup.Escape(Shorten(row.Detail, 200)));
                first = false;
            }
        }

        table.Caption = new TableTitle(Markup.Escape(summary.Totals));
        foreach (var exhibit in summary.Exhibits)
        {
            // A console is read, not searched: a long exhibit is cut, the reports keep all of it.
            var lines = exhibit.Markdown.TrimEnd().Split('\n');
            console.MarkupLine($"[bold]{Markup.Escape(exhibit.Title)}[/]");
            console.WriteLine(string.Join('\n', lines.Take(ExhibitLines)));
            if (lines.Length > ExhibitLines)
            {
                console.WriteLine($"... {lines.Length - ExhibitLines} more lines in artifacts/reports/summary.md");
            }

            console.WriteLine();
        }

        console.Write(table);
    }

    /// <summary>Lines of an exhibit shown on the console.</summary>
    public const int ExhibitLines = 40;

    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 3)] + "...";

    private static string Status(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "[green]Passed[/]",
        CheckStatus.Failed => "[red]Failed[/]",
        CheckStatus.Skipped => "[yellow]Skipped[/]",
        CheckStatus.Manual => "[blue]Manual[/]",
        _ => status.ToString(),
    };
}
