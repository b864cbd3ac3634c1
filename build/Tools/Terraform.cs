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

public sealed class TerraformOutputSettings : TerraformSettings
{
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

public sealed class TerraformStatePullSettings : TerraformSettings;

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

    public ToolResult Init(TerraformInitSettings settings)
    {
        var args = Verb("init");
        args.Append("-input=false");
        if (!settings.Backend)
        {
            args.Append("-backend=false");
        }

        if (settings.BackendConfigFile is not null)
        {
            args.AppendSwitchQuoted("-backend-config", "=", settings.BackendConfigFile);
        }

        if (settings.PluginDir is not null)
        {
            args.AppendSwitchQuoted("-plugin-dir", "=", settings.PluginDir);
        }

        if (settings.Reconfigure)
        {
            args.Append("-reconfigure");
        }

        if (settings.Upgrade)
        {
            args.Append("-upgrade");
        }

        return Execute(settings, args);
    }

    /// <summary><c>fmt -check</c> exits 3 and lists the files that need formatting.</summary>
    public ToolResult Fmt(TerraformFmtSettings settings, string? path = null)
    {
        var args = Verb("fmt");
        if (settings.Check)
        {
            args.Append("-check");
        }

        if (settings.Recursive)
        {
            args.Append("-recursive");
        }

        if (settings.Diff)
        {
            args.Append("-diff");
        }

        if (path is not null)
        {
            args.AppendQuoted(path);
        }

        return Execute(settings, args);
    }

    public ToolResult Validate(TerraformValidateSettings settings)
    {
        var args = Verb("validate");
        if (settings.Json)
        {
            args.Append("-json");
        }

        return Execute(settings, args);
    }

    public TerraformPlanResult Plan(TerraformPlanSettings settings)
    {
        var args = Verb("plan");
        args.Append("-input=false");
        args.Append("-detailed-exitcode");
        if (settings.OutFile is not null)
        {
            args.AppendSwitchQuoted("-out", "=", settings.OutFile);
        }

        if (settings.Destroy)
        {
            args.Append("-destroy");
        }

        if (!settings.Refresh)
        {
            args.Append("-refresh=false");
        }

        if (!settings.LockState)
        {
            args.Append("-lock=false");
        }

        foreach (var file in settings.VarFiles)
        {
            args.AppendSwitchQuoted("-var-file", "=", file);
        }

        foreach (var (name, value) in settings.Variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            args.Append("-var");
            args.AppendQuoted($"{name}={value}");
        }

        return new TerraformPlanResult(Execute(settings, args));
    }

    public ToolResult Apply(TerraformApplySettings settings)
    {
        if (string.IsNullOrEmpty(settings.PlanFile))
        {
            throw new ArgumentException("TerraformApply needs PlanFile: only a saved, reviewed plan is applied (run TerraformPlan with OutFile first)");
        }

        var args = Verb("apply");
        args.Append("-input=false");
        args.AppendQuoted(settings.PlanFile);
        return Execute(settings, args);
    }

    public ToolResult Show(TerraformShowSettings settings)
    {
        var args = Verb("show");
        if (settings.Json)
        {
            args.Append("-json");
        }

        if (settings.PlanFile is not null)
        {
            args.AppendQuoted(settings.PlanFile);
        }

        return Execute(settings, args);
    }

    public ToolResult Output(TerraformOutputSettings settings)
    {
        var args = Verb("output");
        args.Append("-json");
        if (settings.Name is not null)
        {
            args.AppendQuoted(settings.Name);
        }

        return Execute(settings, args);
    }

    public ToolResult Test(TerraformTestSettings settings)
    {
        var args = Verb("test");
        if (settings.Filter is not null)
        {
            args.AppendSwitchQuoted("-filter", "=", settings.Filter);
        }

        if (settings.Verbose)
        {
            args.Append("-verbose");
        }

        return Execute(settings, args);
    }

    public ToolResult Destroy(TerraformDestroySettings settings)
    {
        if (!settings.AutoApprove)
        {
            throw new ArgumentException("TerraformDestroy needs AutoApprove = true: the build cannot answer terraform's prompt");
        }

        var args = Verb("destroy");
        args.Append("-input=false");
        args.Append("-auto-approve");
        foreach (var file in settings.VarFiles)
        {
            args.AppendSwitchQuoted("-var-file", "=", file);
        }

        return Execute(settings, args);
    }

    /// <summary><c>state pull</c>: the state as JSON on stdout. It holds secrets: write it only to a 0600 file.</summary>
    public ToolResult StatePull(TerraformStatePullSettings settings)
    {
        var args = new ProcessArgumentBuilder();
        args.Append("state");
        args.Append("pull");
        return Execute(settings, args);
    }

    private static ProcessArgumentBuilder Verb(string verb)
    {
        var args = new ProcessArgumentBuilder();
        args.Append(verb);
        args.Append("-no-color"); // plain text for logs and reports
        return args;
    }
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
