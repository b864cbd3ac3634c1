using Cake.Core;
using Cake.Core.Diagnostics;
using Spectre.Console;

namespace Platform.Build.Frosting;

/// <summary>
/// Cake's task summary, plus what Cake's own printer leaves out: why a task
/// was skipped (cake-build/cake #3328, #4517). Also marks each task as a
/// collapsible group when running under GitHub Actions.
/// </summary>
internal sealed class FrostingReportPrinter(HostConsole console, ICakeLog log, bool githubActions) : ICakeReportPrinter
{
    private bool _groupOpen;

    /// <summary>True once the summary has been printed (so a failure does not print it twice).</summary>
    public bool Written { get; private set; }

    public void Write(CakeReport report)
    {
        CloseGroup();
        Written = true;
        if (report.IsEmpty)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).Title("Task summary");
        table.AddColumn("Task");
        table.AddColumn("Duration");
        table.AddColumn("Status");
        table.AddColumn("Reason");
        var total = TimeSpan.Zero;
        foreach (var entry in report.Where(e => e.ExecutionStatus != CakeTaskExecutionStatus.Delegated || log.Verbosity >= Verbosity.Verbose))
        {
            var skipped = entry.ExecutionStatus == CakeTaskExecutionStatus.Skipped;
            total += entry.Duration;
            table.AddRow(
                Markup.Escape(entry.TaskName),
                skipped ? "-" : entry.Duration.ToString(@"hh\:mm\:ss\.fff", System.Globalization.CultureInfo.InvariantCulture),
                StatusMarkup(entry.ExecutionStatus),
                Markup.Escape(entry.SkippedMessage ?? string.Empty));
        }

        table.AddRow("Total", total.ToString(@"hh\:mm\:ss\.fff", System.Globalization.CultureInfo.InvariantCulture), string.Empty, string.Empty);
        console.Ansi.Write(table);
    }

    public void WriteStep(string name, Verbosity verbosity)
    {
        if (verbosity < Verbosity.Normal)
        {
            return;
        }

        CloseGroup();
        if (githubActions)
        {
            console.Cake.WriteLine($"::group::{name}");
            _groupOpen = true;
        }

        console.Cake.WriteLine(string.Empty);
        console.Cake.WriteLine(new string('=', 40));
        console.Cake.WriteLine(name);
        console.Cake.WriteLine(new string('=', 40));
        // Cake's execution strategy logs "Executing task: X" at verbose itself.
    }

    public void WriteLifeCycleStep(string name, Verbosity verbosity) => WriteStep(name, verbosity);

    public void WriteSkippedStep(string name, Verbosity verbosity)
    {
        if (verbosity >= Verbosity.Verbose)
        {
            console.Cake.WriteLine($"Skipping task: {name}");
        }
    }

    private void CloseGroup()
    {
        if (_groupOpen)
        {
            console.Cake.WriteLine("::endgroup::");
            _groupOpen = false;
        }
    }

    private static string StatusMarkup(CakeTaskExecutionStatus status) => status switch
    {
        CakeTaskExecutionStatus.Executed => "[green]Succeeded[/]",
        CakeTaskExecutionStatus.Delegated => "[grey]Delegated[/]",
        CakeTaskExecutionStatus.Skipped => "[yellow]Skipped[/]",
        CakeTaskExecutionStatus.Failed => "[red]Failed[/]",
        _ => status.ToString(),
    };
}
