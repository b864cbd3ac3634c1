using System.Text.Json;
using System.Text.Json.Serialization;
using Cake.Core.Diagnostics;
using Spectre.Console;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Core.Reports;

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
        try
        {
            Directory.CreateDirectory(reports);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportWriteException($"cannot create {reports}: {e.Message}: make {context.Paths.Artifacts} writable and run again");
        }

        using var junit = new MemoryStream();
        JUnitReport.Build(summary).Save(junit); // UTF-8, as its declaration says
        SafeFile.Replace(Path.Combine(reports, "junit.xml"), System.Text.Encoding.UTF8.GetString(junit.ToArray()).TrimStart('\uFEFF'));
        var markdown = MarkdownReport.Build(summary);
        SafeFile.Replace(Path.Combine(reports, "summary.md"), markdown);
        SafeFile.Replace(Path.Combine(reports, "checks.json"), JsonSerializer.Serialize(summary with { Exhibits = [.. summary.Exhibits.Where(e => e.File is null)] }, Json));

        foreach (var exhibit in summary.Exhibits.Where(e => e.File is not null))
        {
            SafeFile.Replace(Path.Combine(reports, Path.GetFileName(exhibit.File!)), exhibit.Markdown);
        }

        var stepSummary = context.Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (!string.IsNullOrEmpty(stepSummary))
        {
            File.AppendAllText(stepSummary, markdown + Environment.NewLine);
        }

        context.Log.Information("Reports: {0}/junit.xml, summary.md, checks.json - {1}", context.Paths.Relative(reports), summary.Totals);
    }
}
