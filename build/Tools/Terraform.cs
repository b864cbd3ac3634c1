using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public class TerraformSettings : PlatformToolSettings
{
    public TerraformSettings()
    {
        // No prompts, and output meant for logs: the build is the automation.
        EnvironmentVariables["TF_IN_AUTOMATION"] = "1";
        EnvironmentVariables["TF_INPUT"] = "0";
    }
}

public sealed class TerraformInitSettings : TerraformSettings
{
    /// <summary>false: <c>-backend=false</c> (offline validation; no state is touched).</summary>
    public bool Backend { get; set; } = true;

    /// <summary>Partial backend configuration, e.g. dev.s3.tfbackend.</summary>
    public string? BackendConfigFile { get; set; }

    /// <summary>A local provider mirror (<c>-plugin-dir</c>): init works offline.</summary>
    public string? PluginDir { get; set; }

    public bool Reconfigure { get; set; }
    public bool Upgrade { get; set; }
}

public sealed class TerraformFmtSettings : TerraformSettings
{
    public bool Check { get; set; } = true;
    public bool Recursive { get; set; } = true;
    public bool Diff { get; set; }
}

public sealed class TerraformValidateSettings : TerraformSettings
{
    public bool Json { get; set; }
}

public sealed class TerraformPlanSettings : TerraformSettings
{
    /// <summary>Where the plan is saved (<c>-out</c>): only a saved plan is ever applied.</summary>
    public string? OutFile { get; set; }

    public List<string> VarFiles { get; } = [];

    /// <summary>Plain variables; values here appear in the logged command line, so never secrets (use TF_VAR_ env variables).</summary>
    public Dictionary<string, string> Variables { get; } = [];

    public bool Destroy { get; set; }
    public bool Refresh { get; set; } = true;

    /// <summary>Machine-readable output (<c>-json</c>): errors come with file, line and the variable concerned.</summary>
    public bool Json { get; set; }
    public bool LockState { get; set; } = true;
}

public sealed class TerraformApplySettings : TerraformSettings
{
    /// <summary>The saved plan to apply. Required: this wrapper does not apply an unreviewed configuration.</summary>
    public string? PlanFile { get; set; }
}

public sealed class TerraformShowSettings : TerraformSettings
{
    public string? PlanFile { get; set; }
    public bool Json { get; set; } = true;
}

/// <summary>Outputs can be sensitive (terraform prints them in clear with -json): never logged.</summary>
public sealed class TerraformOutputSettings : TerraformSettings
{
    public TerraformOutputSettings() => SensitiveOutput = true;

    public string? Name { get; set; }
}

public sealed class TerraformTestSettings : TerraformSettings
{
    public string? Filter { get; set; }
    public bool Verbose { get; set; }
}

public sealed class TerraformDestroySettings : TerraformSettings
{
    public List<string> VarFiles { get; } = [];

    /// <summary>Must be set explicitly: destroy without a prompt (the build has no stdin).</summary>
    public bool AutoApprove { get; set; }
}

/// <summary>The state holds secrets: its output is never logged.</summary>
public sealed class TerraformStatePullSettings : TerraformSettings
{
    public TerraformStatePullSettings() => SensitiveOutput = true;
}

/// <summary>A plan run: whether it has changes (from <c>-detailed-exitcode</c>: 0 none, 2 changes, 1 error).</summary>
public sealed record TerraformPlanResult(ToolResult Result)
{
    public bool HasChanges => Result.ExitCode == 2;
    public bool Succeeded => Result.ExitCode is 0 or 2;
}

/// <summary>The terraform CLI, with the verbs Cake.Terraform names (plus Fmt, Test and state pull).</summary>
public sealed class TerraformRunner(ICakeContext context) : PlatformTool<TerraformSettings>(context)
{
    protected override string Executable => "terraform";

    public ToolResult Init(TerraformInitSettings settings) => Execute(settings, Verb("init")
        .Flag(true, "-input=false")
        .Flag(!settings.Backend, "-backend=false")
        .Option("-backend-config", settings.BackendConfigFile)
        .Option("-plugin-dir", settings.PluginDir)
        .Flag(settings.Reconfigure, "-reconfigure")
        .Flag(settings.Upgrade, "-upgrade"));

    /// <summary><c>fmt -check</c> exits 3 and lists the files that need formatting.</summary>
    public ToolResult Fmt(TerraformFmtSettings settings, string? path = null) => Execute(settings, Verb("fmt")
        .Flag(settings.Check, "-check")
        .Flag(settings.Recursive, "-recursive")
        .Flag(settings.Diff, "-diff")
        .Word(path));

    public ToolResult Validate(TerraformValidateSettings settings) => Execute(settings, Verb("validate").Flag(settings.Json, "-json"));

    public TerraformPlanResult Plan(TerraformPlanSettings settings)
    {
        var args = Verb("plan")
            .Flag(true, "-input=false")
            .Flag(true, "-detailed-exitcode")
            .Option("-out", settings.OutFile)
            .Flag(settings.Destroy, "-destroy")
            .Flag(!settings.Refresh, "-refresh=false")
            .Flag(!settings.LockState, "-lock=false")
            .Flag(settings.Json, "-json")
            .Options("-var-file", settings.VarFiles);
        foreach (var (name, value) in settings.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            args.Append("-var");
            args.AppendQuoted($"{name}={value}");
        }

        return new TerraformPlanResult(Execute(settings, args));
    }

    public ToolResult Apply(TerraformApplySettings settings) =>
        string.IsNullOrEmpty(settings.PlanFile)
            ? throw new ArgumentException("TerraformApply needs PlanFile: only a saved, reviewed plan is applied (run TerraformPlan with OutFile first)")
            : Execute(settings, Verb("apply").Flag(true, "-input=false").Word(settings.PlanFile));

    public ToolResult Show(TerraformShowSettings settings) => Execute(settings, Verb("show").Flag(settings.Json, "-json").Word(settings.PlanFile));

    public ToolResult Output(TerraformOutputSettings settings) => Execute(settings, Verb("output").Flag(true, "-json").Word(settings.Name));

    public ToolResult Test(TerraformTestSettings settings) => Execute(settings, Verb("test").Option("-filter", settings.Filter).Flag(settings.Verbose, "-verbose"));

    public ToolResult Destroy(TerraformDestroySettings settings) =>
        !settings.AutoApprove
            ? throw new ArgumentException("TerraformDestroy needs AutoApprove = true: the build cannot answer terraform's prompt")
            : Execute(settings, Verb("destroy").Flag(true, "-input=false").Flag(true, "-auto-approve").Options("-var-file", settings.VarFiles));

    /// <summary><c>state pull</c>: the state as JSON on stdout. It holds secrets: write it only to a 0600 file.</summary>
    public ToolResult StatePull(TerraformStatePullSettings settings) => Execute(settings, ProcessArgumentBuilder.FromStrings(["state", "pull"]));

    private static ProcessArgumentBuilder Verb(string verb) =>
        ProcessArgumentBuilder.FromStrings([verb, "-no-color"]); // plain text for logs and reports
}

/// <summary>Aliases named as Cake.Terraform names them.</summary>
public static class TerraformAliases
{
    public static ToolResult TerraformInit(this ICakeContext context, TerraformInitSettings settings) => new TerraformRunner(context).Init(settings);

    public static ToolResult TerraformFmt(this ICakeContext context, TerraformFmtSettings settings, string? path = null) => new TerraformRunner(context).Fmt(settings, path);

    public static ToolResult TerraformValidate(this ICakeContext context, TerraformValidateSettings settings) => new TerraformRunner(context).Validate(settings);

    public static TerraformPlanResult TerraformPlan(this ICakeContext context, TerraformPlanSettings settings) => new TerraformRunner(context).Plan(settings);

    public static ToolResult TerraformApply(this ICakeContext context, TerraformApplySettings settings) => new TerraformRunner(context).Apply(settings);

    public static ToolResult TerraformShow(this ICakeContext context, TerraformShowSettings settings) => new TerraformRunner(context).Show(settings);

    public static ToolResult TerraformOutput(this ICakeContext context, TerraformOutputSettings settings) => new TerraformRunner(context).Output(settings);

    public static ToolResult TerraformTest(this ICakeContext context, TerraformTestSettings settings) => new TerraformRunner(context).Test(settings);

    public static ToolResult TerraformDestroy(this ICakeContext context, TerraformDestroySettings settings) => new TerraformRunner(context).Destroy(settings);

    public static ToolResult TerraformStatePull(this ICakeContext context, TerraformStatePullSettings settings) => new TerraformRunner(context).StatePull(settings);
}
