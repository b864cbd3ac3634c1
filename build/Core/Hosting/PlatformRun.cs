using Cake.Core;
using Cake.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Platform.Build.Core.Context;
using Platform.Build.Core.Logs;
using Platform.Build.Core.Lifetime;
using Platform.Build.Core.Reports;
using Platform.Build.Frosting;

namespace Platform.Build.Core.Hosting;

/// <summary>
/// One run of the platform build on a Frosting host, using only Cake.Frosting's
/// public API: the context, the lifetime and the platform's services are
/// registered through ConfigureServices, and the exit code is decided from
/// what the host returns. A command line the platform refuses exits 2:
/// Frosting returns -1 for one it cannot parse, and 1 for an error raised
/// inside the engine, so a refusal is recorded here when it is raised.
/// </summary>
public sealed class PlatformRun
{
    public const int Refused = 2;

    private readonly string[] _args;

    /// <param name="caller">Where relative option paths start; the current directory by default.</param>
    public PlatformRun(IEnumerable<string> args, string? caller = null)
    {
        _args = [.. args];
        Flags = RunFlags.Parse(_args);
        Caller = caller ?? Environment.CurrentDirectory;
    }

    /// <summary>Where the build was started: relative option paths are relative to it (the host moves to the repository).</summary>
    public string Caller { get; }

    public RunFlags Flags { get; }

    /// <summary>True once the platform refused the command line or the run (see <see cref="RefusedException"/>).</summary>
    public bool WasRefused { get; private set; }

    /// <summary>
    /// The platform's host: its context and lifetime; a task summary with the
    /// reason a task was skipped, printed when the teardown fails the run too;
    /// plain consoles (no ANSI codes) when the output is not a terminal or NO_COLOR is set.
    /// A later ConfigureServices may replace any of them.
    /// </summary>
    public CakeHost Host() =>
        new CakeHost()
            .UseContext<BuildContext>()
            .UseLifetime<BuildLifetime>()
            .ConfigureServices(services =>
            {
                services.AddSingleton(this);

                // Cake's console log, with a file per task under artifacts/logs (and held lines for tasks run ahead).
                // On a terminal, a status line says what is running.
                var terminal = Consoles.Plain(Environment.GetEnvironmentVariable, Console.IsOutputRedirected) ? null : Console.Out;
                services.AddSingleton<ICakeLog>(p => new TaskLogs(new CakeBuildLog(p.GetRequiredService<IConsole>()), terminal));
                services.AddSingleton<ICakeReportPrinter, TaskSummaryPrinter>();
                services.AddSingleton<HeldTeardownFailure>();
                services.AddSingleton<IExecutionStrategy>(p => new SummaryFirstStrategy(
                    new DefaultExecutionStrategy(p.GetRequiredService<ICakeLog>(), p.GetRequiredService<ICakeReportPrinter>()),
                    p.GetRequiredService<HeldTeardownFailure>()));
                if (Consoles.Plain(Environment.GetEnvironmentVariable, Console.IsOutputRedirected))
                {
                    services.AddSingleton(Consoles.PlainCake(Console.Out, Console.Error));
                    services.AddSingleton(Consoles.PlainAnsi(Console.Out, ConsoleWidth()));
                }
                else
                {
                    // The platform's printer and reports need Spectre's console; Cake.Frosting need not register one.
                    services.AddSingleton(_ => Spectre.Console.AnsiConsole.Console);
                }
            });

    /// <summary>Runs the host on this run's arguments; <paramref name="help"/> gets the platform's options after the host's --help.</summary>
    public int Run(CakeHost host, TextWriter help)
    {
        var code = host.Run(_args);
        if (Flags.Help && code == 0)
        {
            help.WriteLine();
            help.WriteLine(BuildOptions.Help);
        }

        return code == -1 || (WasRefused && code != 0) ? Refused : code;
    }

    /// <summary>Records that the platform refused the run (the <see cref="RefusedException"/> is on its way to the host).</summary>
    public void MarkRefused() => WasRefused = true;

    /// <summary>The terminal's width; pipes and CI logs report 80 columns or none, and the tables read better at 160.</summary>
    private static int ConsoleWidth()
    {
        try
        {
            return Console.IsOutputRedirected ? 160 : Console.WindowWidth;
        }
        catch (IOException)
        {
            return 160;
        }
    }
}

/// <summary>
/// The host options the platform must know of, read from the command line
/// itself because Frosting keeps them from the context's arguments: in a dry
/// run the lifetime acts not at all, and --tree and --description list every
/// task whatever the targets.
/// </summary>
public sealed record RunFlags(bool DryRun, bool Tree, bool Description, bool Help)
{
    /// <summary>No host option given (a context made outside a platform run).</summary>
    public static readonly RunFlags None = new(false, false, false, false);

    public static RunFlags Parse(IReadOnlyList<string> args)
    {
        bool Has(params string[] names) => args.Any(a =>
        {
            var body = a.TrimStart('-');
            var eq = body.IndexOf('=');
            var name = eq < 0 ? body : body[..eq];
            var value = eq < 0 ? "true" : body[(eq + 1)..];
            return a.StartsWith('-') && names.Contains(name, StringComparer.OrdinalIgnoreCase) && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
        });

        return new RunFlags(
            Has("dryrun", "noop", "whatif"),
            Has("tree", "showtree"),
            Has("description", "descriptions", "showdescription", "showdescriptions"),
            Has("help", "h"));
    }
}

/// <summary>
/// A command line or run the platform refuses (a bad option, an unknown
/// target, an unconfirmed prod change): one line, exit code 2.
/// </summary>
public class RefusedException(string message) : Exception(message);
