using Cake.Core.Diagnostics;
using Xunit;
using Platform.Build.Core.Logs;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>The task logs: a file per task, lines held for a task run ahead, the terminal's status line.</summary>
public sealed class TaskLogTests : IDisposable
{
    private readonly TempRepo _repo = new(withSpec: false);

    public void Dispose() => _repo.Dispose();

    private sealed class Lines : ICakeLog
    {
        public List<string> Written { get; } = [];
        public Verbosity Verbosity { get; set; } = Verbosity.Normal;

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
            if (verbosity <= Verbosity)
            {
                Written.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
            }
        }
    }

    [Fact]
    public void A_task_run_ahead_holds_its_console_lines_until_its_turn_and_its_file_gets_every_line()
    {
        var console = new Lines();
        var logs = new TaskLogs(console);
        using (var log = logs.Open(_repo.Path("logs"), "T", hold: true))
        {
            using (logs.Enter(log))
            {
                logs.Information("first");
                logs.Verbose("    tool output");
            }

            Assert.Empty(console.Written);
            log.Flush();
            Assert.Equal(["first"], console.Written);
        }

        var file = _repo.Read("logs/T.log");
        Assert.Contains("first", file);
        Assert.Contains("tool output", file);
    }

    [Fact]
    public void Lines_after_the_task_closed_its_log_still_reach_the_console()
    {
        var console = new Lines();
        var logs = new TaskLogs(console);
        var log = logs.Open(_repo.Path("logs"), "T", hold: false);
        using (logs.Enter(log))
        {
            log.Dispose();
            logs.Information("late line from work the task started");
        }

        Assert.Equal(["late line from work the task started"], console.Written);
    }

    [Fact]
    public void On_a_terminal_the_status_line_is_cleared_before_the_next_line_and_elsewhere_never_written()
    {
        var terminal = new StringWriter();
        var logs = new TaskLogs(new Lines(), terminal);
        logs.Progress("running: CreateVpcModule");
        logs.Information("a line");

        Assert.Equal("\r\u001b[2Krunning: CreateVpcModule\r\u001b[2K", terminal.ToString());

        var piped = new StringWriter();
        new TaskLogs(new Lines()).Progress("running: CreateVpcModule");
        Assert.Equal(string.Empty, piped.ToString());
    }
}
