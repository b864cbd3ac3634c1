using System.Diagnostics;
using System.Text.Json;
using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tools;

/// <summary>
/// Ctrl-C as a user would press it, on the real host in its own process: the
/// build passes the signal on to the tool it started (and the tool's own
/// children), stops, writes a report marked interrupted and exits 130. A tool
/// killed by a signal from outside stops the run the same way.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");
    private readonly string _bin;

    public InterruptTests()
    {
        _bin = _repo.Path("fake-bin");
        Directory.CreateDirectory(_bin);
    }

    public void Dispose() => _repo.Dispose();

    private void FakeTerraform(string body)
    {
        var path = Path.Combine(_bin, "terraform");
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Process Start()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _repo.Root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Build.dll"), $"--working={_repo.Root}", "--target=CreateVpcModule", "--exclusive" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("TF_CLI_CONFIG_FILE");
        return Process.Start(start)!;
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static void Signal(int pid, string signal) => Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(100);
        }
    }

    private JsonElement RunRow()
    {
        using var report = JsonDocument.Parse(File.ReadAllText(_repo.Path("artifacts/reports/checks.json")));
        return report.RootElement.GetProperty("Results").EnumerateArray().Single(r => r.GetProperty("Task").GetString() == "Run").Clone();
    }

    [Fact]
    public async Task Ctrl_C_stops_the_tool_and_its_children_reports_interrupted_and_exits_130()
    {
        // Like terraform: it stops cleanly on SIGINT; its own child (a provider) runs until it is signalled too.
        FakeTerraform($"trap 'exit 130' INT TERM\nsleep 300 &\necho $! > {_repo.Path("grandchild.pid")}\necho $$ > {_repo.Path("child.pid")}\nwait");
        using var build = Start();
        var output = build.StandardOutput.ReadToEndAsync();
        _ = build.StandardError.ReadToEndAsync();
        WaitFor(() => File.Exists(_repo.Path("child.pid")) && File.ReadAllText(_repo.Path("child.pid")).Trim().Length > 0, "the fake terraform to start");
        var child = int.Parse(File.ReadAllText(_repo.Path("child.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var grandchild = int.Parse(File.ReadAllText(_repo.Path("grandchild.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        Signal(build.Id, "INT");

        Assert.True(build.WaitForExit(60_000), "the build did not stop after Ctrl-C");
        Assert.Equal(130, build.ExitCode);
        Assert.False(Alive(child), "the tool is still running");
        Assert.False(Alive(grandchild), "the tool's child is still running");
        var row = RunRow();
        Assert.Equal("Failed", row.GetProperty("Status").GetString());
        Assert.StartsWith("interrupted by SIGINT; 2 child processes stopped", row.GetProperty("Detail").GetString());
        Assert.DoesNotContain("not compiled for this architecture", await output);
    }

    [Fact]
    public void A_tool_killed_by_a_signal_from_outside_stops_the_run_as_interrupted()
    {
        // A Ctrl-C that reached only the child: the tool dies by SIGINT, and the run must not carry on.
        FakeTerraform("kill -INT $$");
        using var build = Start();
        _ = build.StandardOutput.ReadToEndAsync();
        _ = build.StandardError.ReadToEndAsync();

        Assert.True(build.WaitForExit(120_000), "the build did not stop");
        Assert.Equal(130, build.ExitCode);
        Assert.StartsWith("terraform was stopped by signal 2 (SIGINT) from outside the build", RunRow().GetProperty("Detail").GetString());
    }
}
