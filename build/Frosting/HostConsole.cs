using System.Globalization;
using Cake.Core;
using Spectre.Console;

namespace Platform.Build.Frosting;

/// <summary>
/// Where the host writes. Normally the process console (Cake's CakeConsole and
/// Spectre's AnsiConsole); a test passes a TextWriter to read every line back.
/// </summary>
public sealed class HostConsole
{
    private HostConsole(IConsole cake, IAnsiConsole ansi)
    {
        Cake = cake;
        Ansi = ansi;
    }

    /// <summary>Cake's console: the build log and <c>--tree</c> write here.</summary>
    public IConsole Cake { get; }

    /// <summary>Spectre's console: tables, the summary and <c>--description</c> write here.</summary>
    public IAnsiConsole Ansi { get; }

    public static HostConsole ForProcess(ICakeEnvironment environment)
    {
        var ansi = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // CI logs and pipes report 80 columns; tables read better wider.
            ansi.Profile.Width = Math.Max(ansi.Profile.Width, 160);
        }

        return new HostConsole(new CakeConsole(environment), ansi);
    }

    public static HostConsole ForWriter(TextWriter writer)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        ansi.Profile.Width = 200;
        return new HostConsole(new WriterConsole(writer), ansi);
    }

    /// <summary>Cake's IConsole over a TextWriter (no colours); errors go to the same writer.</summary>
    private sealed class WriterConsole(TextWriter writer) : IConsole
    {
        public ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public bool SupportAnsiEscapeCodes => false;

        public void Write(string format, params object[] arg) => writer.Write(string.Format(CultureInfo.InvariantCulture, format, arg));
        public void Write(string value) => writer.Write(value);
        public void WriteLine(string format, params object[] arg) => writer.WriteLine(string.Format(CultureInfo.InvariantCulture, format, arg));
        public void WriteLine(string value) => writer.WriteLine(value);
        public void WriteError(string format, params object[] arg) => Write(format, arg);
        public void WriteError(string value) => writer.Write(value);
        public void WriteErrorLine(string format, params object[] arg) => WriteLine(format, arg);
        public void WriteErrorLine(string value) => writer.WriteLine(value);
        public void ResetColor() { }
    }
}

/// <summary>The directory the build was started from (relative option paths are relative to it).</summary>
public sealed record HostDirectories(string Caller);

/// <summary>
/// The service provider handed to CakeContext (it must not be null). Holds the
/// consoles, the task catalog and the engine, so tasks and lifetimes can reach
/// what the host built without a DI container.
/// </summary>
internal sealed class HostServices : IServiceProvider
{
    private readonly Dictionary<Type, object> _services = [];

    public HostServices(HostConsole console)
    {
        Add(console);
        Add(console.Ansi);
        Add(console.Cake);
    }

    public void Add<T>(T service) where T : notnull => _services[typeof(T)] = service;

    public object? GetService(Type serviceType) => _services.GetValueOrDefault(serviceType);

    public IEnumerable<(Type Type, object Instance)> All => _services.Select(p => (p.Key, p.Value));
}

/// <summary>
/// The context's service provider: the host's own services until the build's
/// container exists (the Cake context is made before it), then the container.
/// </summary>
internal sealed class DeferredServices(HostServices host) : IServiceProvider
{
    private IServiceProvider? _container;

    public void Use(IServiceProvider container) => _container = container;

    public object? GetService(Type serviceType) => _container?.GetService(serviceType) ?? host.GetService(serviceType);
}
