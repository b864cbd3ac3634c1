using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

/// <summary>
/// Any executable without a typed wrapper of its own (linters, python3,
/// debootstrap, cp and tar, apt-get, version probes), run through Cake's tool
/// runner like the others: found on PATH, logged with secrets redacted,
/// stopped with the build on Ctrl-C.
/// </summary>
public sealed class CommandTool(ICakeContext context, string executable) : PlatformTool<PlatformToolSettings>(context)
{
    protected override string Executable { get; } = executable;

    public ToolResult Run(params string[] arguments) => Run(new PlatformToolSettings { ToolTimeout = TimeSpan.FromSeconds(60) }, arguments);

    public ToolResult Run(PlatformToolSettings settings, params string[] arguments)
    {
        var args = new ProcessArgumentBuilder();
        foreach (var argument in arguments)
        {
            // One argument stays one argument, spaces and all.
            if (argument.Any(c => char.IsWhiteSpace(c) || c == '"'))
            {
                args.AppendQuoted(argument);
            }
            else
            {
                args.Append(argument);
            }
        }

        return Execute(settings, args);
    }
}

public static class CommandAliases
{
    /// <summary>Runs EXECUTABLE ARGS... (one argument stays one argument, spaces and all) with a 60 s timeout.</summary>
    public static ToolResult RunCommand(this ICakeContext context, string executable, params string[] arguments) =>
        new CommandTool(context, executable).Run(arguments);

    public static ToolResult RunCommand(this ICakeContext context, string executable, PlatformToolSettings settings, params string[] arguments) =>
        new CommandTool(context, executable).Run(settings, arguments);
}
