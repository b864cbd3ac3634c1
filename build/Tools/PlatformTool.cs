using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Platform.Build.Tools;

/// <summary>Settings shared by every wrapper.</summary>
public class PlatformToolSettings : ToolSettings
{
    /// <summary>Log each output line as it arrives (for long actions); otherwise lines are logged at Verbose.</summary>
    public bool StreamOutput { get; set; }

    /// <summary>The output holds secrets (terraform output, state): never logged, never quoted as evidence.</summary>
    public bool SensitiveOutput { get; set; }
}

/// <summary>
/// What a tool run produced. Wrappers never throw on a non-zero exit: a check
/// reads the output as evidence; an action calls <see cref="EnsureSuccess"/>.
/// <see cref="CommandLine"/> is the safe rendering (secrets redacted).
/// </summary>
public sealed record ToolResult(int ExitCode, IReadOnlyList<string> Output, IReadOnlyList<string> Error, string CommandLine)
{
    /// <summary>Set for sensitive output: <see cref="Tail"/> then says so instead of quoting it.</summary>
    public bool Sensitive { get; init; }

    public bool Succeeded => ExitCode == 0;

    public string Text => string.Join('\n', Output);

    /// <summary>The last lines of stderr (or stdout when stderr is empty): the evidence for a report.</summary>
    public string Tail(int lines = 15)
    {
        if (Sensitive)
        {
            return $"(output of '{CommandLine}' withheld: it may hold secrets)";
        }

        var source = Error.Any(l => !string.IsNullOrWhiteSpace(l)) ? Error : Output;
        return string.Join(" | ", source.Where(l => !string.IsNullOrWhiteSpace(l)).TakeLast(lines).Select(l => l.Trim()));
    }

    public ToolResult EnsureSuccess(params int[] alsoAllowed) =>
        ExitCode == 0 || alsoAllowed.Contains(ExitCode)
            ? this
            : throw new ToolFailedException($"'{CommandLine}' exited with {ExitCode}: {Tail()}");
}

/// <summary>A tool ran and failed (for actions, which must stop).</summary>
public sealed class ToolFailedException(string message) : Exception(message);

/// <summary>A tool is not installed: one line saying how to get it.</summary>
public sealed class ToolNotFoundException(string tool)
    : Exception($"{tool} not found on PATH: install it (./build.sh --target=Doctor --install-tools lists how)")
{
    public string Tool { get; } = tool;
}

/// <summary>
/// Base of our wrappers, on Cake.Core's <see cref="Tool{TSettings}"/> as the
/// Cake addins are: the tool is found by Cake's locator (PATH or ToolPath),
/// run by Cake's process runner (which logs the command line with secrets
/// redacted), and its output is captured for the report.
/// </summary>
public abstract partial class PlatformTool<TSettings>(ICakeContext context)
    : Tool<TSettings>(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools)
    where TSettings : PlatformToolSettings
{
    protected ICakeContext Context { get; } = context;

    /// <summary>The executable name, e.g. "terraform".</summary>
    protected abstract string Executable { get; }

    protected override string GetToolName() => Executable;

    protected override IEnumerable<string> GetToolExecutableNames() => [Executable, $"{Executable}.exe"];

    protected ToolResult Execute(TSettings settings, ProcessArgumentBuilder arguments)
    {
        var output = new List<string>();
        var error = new List<string>();
        var level = settings.SensitiveOutput ? (Verbosity?)null : settings.StreamOutput ? Verbosity.Normal : Verbosity.Verbose;
        var process = new ProcessSettings
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectedStandardOutputHandler = line => Capture(output, line, level),
            RedirectedStandardErrorHandler = line => Capture(error, line, level),
        };

        Interrupts.ThrowIfInterrupted();
        IProcess started;
        try
        {
            started = RunProcess(settings, arguments, process);
        }
        catch (CakeException e) when (e.Message.Contains("Could not locate executable", StringComparison.OrdinalIgnoreCase))
        {
            throw new ToolNotFoundException(Executable);
        }

        using (started)
        {
            if (settings.ToolTimeout is { } timeout && !started.WaitForExit((int)timeout.TotalMilliseconds))
            {
                started.Kill();
                throw new ToolFailedException($"'{Executable} {arguments.RenderSafe()}' did not finish within {timeout}");
            }

            started.WaitForExit();
            var exitCode = started.GetExitCode();

            // Stopped by a signal (ours, or one that reached only the child): the run stops, and says so.
            Interrupts.CheckExit(Executable, exitCode);
            return new ToolResult(exitCode, output, error, $"{Executable} {arguments.RenderSafe()}") { Sensitive = settings.SensitiveOutput };
        }
    }

    private string Capture(List<string> lines, string? line, Verbosity? level)
    {
        if (line is not null)
        {
            // Colour codes would end up in reports (and are invalid in XML).
            line = AnsiEscape().Replace(line, string.Empty);
            lock (lines)
            {
                lines.Add(line);
            }

            if (level is { } verbosity)
            {
                Context.Log.Write(verbosity, LogLevel.Information, "    {0}", line);
            }
        }

        return line!;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1B\[[0-9;?]*[ -/]*[@-~]")]
    private static partial System.Text.RegularExpressions.Regex AnsiEscape();
}
