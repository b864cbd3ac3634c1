using System.Diagnostics;
using Cake.Core.Diagnostics;
using Xunit;
using Platform.Build.Core.Hosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>
/// A log file or a pipe gets text, not escape codes: the real host in its
/// own process, its output redirected as CI redirects it, with a TERM that
/// would make Cake's console colour everything.
/// </summary>
public sealed class ConsoleTests : IDisposable
{
    private readonly TempRepo _repo = new(withSpec: true);

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public void Redirected_output_has_no_escape_codes(string? noColor)
    {
        var (exit, output) = Host(noColor, "--target=Valdate");

        Assert.Equal(2, exit);
        Assert.Contains("Error: the target 'Valdate' was not found: did you mean 'Validate'?", output);
        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public void NO_COLOR_makes_even_a_terminal_plain_and_a_terminal_alone_keeps_colour()
    {
        Assert.True(Consoles.Plain(name => name == "NO_COLOR" ? "1" : null, outputRedirected: false));
        Assert.False(Consoles.Plain(_ => null, outputRedirected: false));
        Assert.False(Consoles.Plain(name => name == "NO_COLOR" ? string.Empty : null, outputRedirected: false)); // no-color.org: set and not empty
        Assert.True(Consoles.Plain(_ => null, outputRedirected: true));
    }

    [Fact]
    public void The_plain_console_writes_Cakes_coloured_log_levels_as_text()
    {
        var output = new StringWriter();
        var log = new CakeBuildLog(Consoles.PlainCake(output, output));

        log.Error("broken {0}", "thing");
        log.Warning("careful");

        Assert.Equal("broken thing\ncareful\n", output.ToString().ReplaceLineEndings("\n"));
    }

    private (int Exit, string Output) Host(string? noColor, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _repo.Root };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Build.dll"), $"--working={_repo.Root}" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        if (noColor is not null)
        {
            start.Environment["NO_COLOR"] = noColor;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "the host did not finish in 60 s");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
