using System.Text;
using Platform.Build.Core.Checks;

namespace Platform.Build.Core.Reports;

/// <summary>The Markdown summary (artifacts/reports/summary.md and the GitHub step summary).</summary>
public static class MarkdownReport
{
    public static string Build(RunSummary summary)
    {
        var text = new StringBuilder();
        text.AppendLine($"# Platform build: {summary.Targets} ({summary.Environment})");
        text.AppendLine();
        text.AppendLine($"Mode: {summary.ModeText}. **{summary.Totals}.**");
        text.AppendLine();

        var missing = summary.Results.Where(r => r.IsNotImplemented).ToList();
        if (missing.Count > 0)
        {
            text.AppendLine("## Not implemented yet");
            text.AppendLine();
            foreach (var row in missing)
            {
                text.AppendLine($"- {Id(row)}{row.Task}: {row.Item}");
            }

            text.AppendLine();
        }

        var manual = summary.Results.Where(r => r.Status == CheckStatus.Manual).ToList();
        if (manual.Count > 0)
        {
            text.AppendLine("## Manual (for a person to check)");
            text.AppendLine();
            foreach (var row in manual)
            {
                text.AppendLine($"- {Id(row)}{row.Task}: {row.Item} - {row.Detail}");
            }

            text.AppendLine();
        }

        foreach (var exhibit in summary.Exhibits)
        {
            text.AppendLine($"## {exhibit.Title}");
            text.AppendLine();
            text.AppendLine(exhibit.File is null ? exhibit.Markdown.TrimEnd() : $"In `artifacts/reports/{exhibit.File}`.");
            text.AppendLine();
        }

        text.AppendLine("## All items");
        text.AppendLine();
        text.AppendLine("Each task's log, with its tools' output: `artifacts/logs/<task>.log`.");
        text.AppendLine();
        text.AppendLine("| Task | Item | Status | Detail | Cache |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var row in summary.Results)
        {
            text.AppendLine($"| {Cell(Id(row) + row.Task)} | {Cell(row.Item)} | {Icon(row.Status)} {row.Status} | {Cell(ConsoleReport.Shorten(row.Detail, 400))} | {Cell(row.Cache ?? string.Empty)} |");
        }

        return text.ToString();
    }

    private static string Id(CheckResult row) => row.SeedId is null ? string.Empty : $"{row.SeedId} ";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    private static string Icon(CheckStatus status) => status switch
    {
        CheckStatus.Passed => "✅",
        CheckStatus.Failed => "❌",
        CheckStatus.Skipped => "⏭️",
        CheckStatus.Manual => "✋",
        _ => string.Empty,
    };
}
