using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

/// <summary>Runs a tool's version command (or apt-get) through Cake's tool runner.</summary>
public sealed class ToolProbe(ICakeContext context, string executable) : PlatformTool<PlatformToolSettings>(context)
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
