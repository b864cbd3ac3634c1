using Cake.Core;
using Spectre.Console;

namespace Platform.Build.Core.Hosting;

/// <summary>
/// The consoles of a run whose output is not a terminal (a pipe, a log file,
/// CI) or whose user set NO_COLOR: plain text, no ANSI escape codes, no
/// colours. Cake's own console would colour a log file whenever TERM says the
/// terminal can.
/// </summary>
public static class Consoles
{
    /// <summary>True when the output should carry no colour: NO_COLOR set (any value, per no-color.org), or stdout redirected.</summary>
    public static bool Plain(Func<string, string?> variable, bool outputRedirected) =>
        !string.IsNullOrEmpty(variable("NO_COLOR")) || outputRedirected;

    public static IConsole PlainCake(TextWriter output, TextWriter error) => new PlainConsole(output, error);

    public static IAnsiConsole PlainAnsi(TextWriter output, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }

    /// <summary>Cake's IConsole writing text only: colours are accepted and ignored.</summary>
    private sealed class PlainConsole(TextWriter output, TextWriter error) : IConsole
    {
        public ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public bool SupportAnsiEscapeCodes => false;

        public void Write(string format, params object[] arg) => output.Write(format, arg);
        public void Write(string value) => output.Write(value);
        public void WriteLine(string format, params object[] arg) => output.WriteLine(format, arg);
        public void WriteLine(string value) => output.WriteLine(value);
        public void WriteError(string format, params object[] arg) => error.Write(format, arg);
        public void WriteError(string value) => error.Write(value);
        public void WriteErrorLine(string format, params object[] arg) => error.WriteLine(format, arg);
        public void WriteErrorLine(string value) => error.WriteLine(value);
        public void ResetColor() { }
    }
}
