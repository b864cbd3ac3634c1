using Platform.Build.Core.Context;
using Platform.Build.Core.Hosting;
using Platform.Build.Frosting;

namespace Platform.Build.Tests.Support;

/// <summary>The output and exit code of one in-process build run.</summary>
public sealed record RunResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>Runs hosts in-process, capturing their output; restores the working directory Cake changes.</summary>
public static class BuildRun
{
    public static RunResult Host(CakeHost host, params string[] args) =>
        Capture(output => host.WriteTo(output).Run(args));

    /// <summary>The real platform build (all its tasks, its context and lifetime), run as Program.cs runs it.</summary>
    public static RunResult Platform(params string[] args) =>
        Platform(host => host.AddAssembly(typeof(BuildContext).Assembly), args);

    /// <summary>The platform's host with <paramref name="configure"/> applied (its tasks, extra services), run as Program.cs runs it.</summary>
    public static RunResult Platform(Func<CakeHost, CakeHost> configure, params string[] args) =>
        Capture(output =>
        {
            var run = new PlatformRun(args);
            return run.Run(configure(run.Host()).WriteTo(output), output);
        });

    private static RunResult Capture(Func<TextWriter, int> run)
    {
        var cwd = Environment.CurrentDirectory;
        try
        {
            var output = new StringWriter();
            var exit = run(output);
            return new RunResult(exit, output.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }
}
