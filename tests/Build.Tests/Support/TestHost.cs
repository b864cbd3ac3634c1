using System.Globalization;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;
using Platform.Build.Frosting;
using Spectre.Console;

namespace Platform.Build.Tests.Support;

/// <summary>
/// What tests add to a host, through Cake.Frosting's public ConfigureServices
/// only (as Frosting's own tests replace services): the consoles over a
/// writer, and an exact set of task classes.
/// </summary>
public static class TestHost
{
    /// <summary>Everything the host writes (Cake's console and Spectre's) goes to <paramref name="writer"/>, without colours.</summary>
    public static CakeHost WriteTo(this CakeHost host, TextWriter writer) =>
        host.ConfigureServices(services =>
        {
            services.AddSingleton<IConsole>(new WriterConsole(writer));
            services.AddSingleton(AnsiOver(writer));
        });

    /// <summary>Registers exactly these task classes (the test host's entry assembly has none).</summary>
    public static CakeHost WithTasks(this CakeHost host, params Type[] tasks) =>
        host.ConfigureServices(services =>
        {
            foreach (var task in tasks)
            {
                services.AddSingleton(typeof(IFrostingTask), task);
            }
        });

    public static IAnsiConsole AnsiOver(TextWriter writer)
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        ansi.Profile.Width = 200;
        return ansi;
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
