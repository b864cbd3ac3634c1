using Platform.Build.Core.Context;
using Platform.Build.Core.Lifetime;
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
    public static RunResult Host(CakeHost host, params string[] args)
    {
        var cwd = Environment.CurrentDirectory;
        try
        {
            var output = new StringWriter();
            var exit = host.UseOutput(output).Run(args);
            return new RunResult(exit, output.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }

    /// <summary>The real platform build (all its tasks, its context and lifetime).</summary>
    public static RunResult Platform(params string[] args) =>
        Host(PlatformHost(), args);

    public static CakeHost PlatformHost() =>
        new CakeHost()
            .UseContext<BuildContext>()
            .UseLifetime<BuildLifetime>()
            .AddAssembly(typeof(BuildContext).Assembly);
}
