using System.Text.Json;
using System.Text.Json.Serialization;
using Cake.Core.Diagnostics;
using Platform.Build.Context;
using Spectre.Console;

namespace Platform.Build.Reports;

/// <summary>Writes every report of a run: console, JUnit, Markdown (+ GitHub step summary) and JSON.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static RunSummary Summarize(BuildContext context) => new(
        string.Join(", ", context.Options.Targets),
        context.Options.EnvironmentName,
        context.Mode,
        DateTimeOffset.UtcNow,
        context.Ledger.Results) { Exhibits = context.Ledger.Exhibits };

    public static void Write(BuildContext context, RunSummary summary)
    {
        ConsoleReport.Write(context.Service<IAnsiConsole>(), summary);

        var reports = context.Paths.Reports;
        Directory.CreateDirectory(reports);
        JUnitReport.Build(summary).Save(Path.Combine(reports, "junit.xml"));
        var markdown = MarkdownReport.Build(summary);
        File.WriteAllText(Path.Combine(reports, "summary.md"), markdown);
        File.WriteAllText(Path.Combine(reports, "checks.json"), JsonSerializer.Serialize(summary, Json));

        var stepSummary = context.Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (!string.IsNullOrEmpty(stepSummary))
        {
            File.AppendAllText(stepSummary, markdown + Environment.NewLine);
        }

        context.Log.Information("Reports: {0}/junit.xml, summary.md, checks.json - {1}", context.Paths.Relative(reports), summary.Totals);
    }
}
