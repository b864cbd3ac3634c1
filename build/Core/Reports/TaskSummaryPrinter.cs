using Cake.Core;
using Cake.Core.Diagnostics;
using Spectre.Console;

namespace Platform.Build.Core.Reports;

/// <summary>
/// Cake's task summary, plus what Cake's own printer leaves out: why a task
/// was skipped (cake-build/cake #3328, #4517). Also marks each task as a
/// collapsible group when running under GitHub Actions. The platform puts it
/// in the place of Cake's printer through the host's services.
/// </summary>
public sealed class TaskSummaryPrinter(IConsole console, IAnsiConsole ansi, ICakeLog log, ICakeEnvironment environment, HeldTeardownFailure held) : ICakeReportPrinter
{
    private readonly bool _githubActions = environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";
    private bool _groupOpen;

    public void Write(CakeReport report)
    {
        CloseGroup();
        if (report.IsEmpty)
        {
            ThrowHeldFailure();
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
        ansi.Write(table);
        ThrowHeldFailure();
    }

    /// <summary>The summary is out: now a teardown's failure fails the run (see SummaryFirstStrategy).</summary>
    private void ThrowHeldFailure()
    {
        if (held.Exception is { } teardown)
        {
            held.Exception = null;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(teardown).Throw();
        }
    }

    public void WriteStep(string name, Verbosity verbosity)
    {
        if (verbosity < Verbosity.Normal)
        {
            return;
        }

        CloseGroup();
        if (_githubActions)
        {
            console.WriteLine($"::group::{name}");
            _groupOpen = true;
        }

        if (verbosity < Verbosity.Verbose)
        {
            // Each platform task says its one line when it ends; the banner is for verbose runs.
            return;
        }

        console.WriteLine(string.Empty);
        console.WriteLine(new string('=', 40));
        console.WriteLine(name);
        console.WriteLine(new string('=', 40));
        // Cake's execution strategy logs "Executing task: X" at verbose itself.
    }

    public void WriteLifeCycleStep(string name, Verbosity verbosity) => WriteStep(name, verbosity);

    public void WriteSkippedStep(string name, Verbosity verbosity)
    {
        if (verbosity >= Verbosity.Verbose)
        {
            console.WriteLine($"Skipping task: {name}");
        }
    }

    private void CloseGroup()
    {
        if (_groupOpen)
        {
            console.WriteLine("::endgroup::");
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
