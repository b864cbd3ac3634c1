using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public sealed class PromtoolSettings : PlatformToolSettings;

/// <summary>Prometheus' promtool: rule files checked and unit-tested offline.</summary>
public sealed class PromtoolRunner(ICakeContext context) : PlatformTool<PromtoolSettings>(context)
{
    protected override string Executable => "promtool";

    /// <summary><c>promtool check rules FILE...</c>: syntax, PromQL, templates.</summary>
    public ToolResult CheckRules(PromtoolSettings settings, IEnumerable<string> files) =>
        Execute(settings, files.Aggregate(new ProcessArgumentBuilder().Append("check").Append("rules"), (args, f) => args.Word(f)));

    /// <summary><c>promtool test rules FILE...</c>: the alert unit tests (series in, alerts expected out).</summary>
    public ToolResult TestRules(PromtoolSettings settings, IEnumerable<string> files) =>
        Execute(settings, files.Aggregate(new ProcessArgumentBuilder().Append("test").Append("rules"), (args, f) => args.Word(f)));
}

public static class PromtoolAliases
{
    public static ToolResult PromtoolCheckRules(this ICakeContext context, IEnumerable<string> files, PromtoolSettings? settings = null) =>
        new PromtoolRunner(context).CheckRules(settings ?? new PromtoolSettings(), files);

    public static ToolResult PromtoolTestRules(this ICakeContext context, IEnumerable<string> files, PromtoolSettings? settings = null) =>
        new PromtoolRunner(context).TestRules(settings ?? new PromtoolSettings(), files);
}
