using Platform.Build.Context;
using Platform.Build.Tools;

namespace Platform.Build.Checks;

/// <summary>Offline Terraform checks shared by the Phase 1 tasks.</summary>
public static class TerraformChecks
{
    /// <summary><c>terraform fmt -check -recursive</c> over a folder.</summary>
    public static Outcome Fmt(BuildContext context, string folder)
    {
        if (Missing(context, folder) is { } missing)
        {
            return missing;
        }

        var result = context.TerraformFmt(new TerraformFmtSettings { WorkingDirectory = context.Paths.Root }, folder);
        return result.ExitCode switch
        {
            0 => Outcome.Pass($"{folder}: formatted"),
            3 => Outcome.Fail($"needs formatting: {string.Join(", ", result.Output.Where(l => l.Length > 0))}: run terraform fmt -recursive {folder}"),
            _ => Outcome.Fail($"{result.CommandLine}: {result.Tail()}"),
        };
    }

    /// <summary><c>terraform init -backend=false</c> (offline, against a provider mirror when given) then <c>terraform validate</c>.</summary>
    public static Outcome Validate(BuildContext context, string folder)
    {
        if (Missing(context, folder) is { } missing)
        {
            return missing;
        }

        var directory = context.Paths.Combine(folder);
        var init = Init(context, directory);
        if (!init.Succeeded)
        {
            return Outcome.Fail($"{folder}: terraform init failed: {InitHint(init)}");
        }

        var validate = context.TerraformValidate(new TerraformValidateSettings { WorkingDirectory = directory });
        return validate.Succeeded
            ? Outcome.Pass($"{folder}: {validate.Tail(1)}")
            : Outcome.Fail($"{folder}: {validate.Tail()}");
    }

    public static ToolResult Init(BuildContext context, string directory, bool backend = false) =>
        context.TerraformInit(new TerraformInitSettings
        {
            WorkingDirectory = directory,
            Backend = backend,
            PluginDir = context.Options.TerraformPluginDir,
        });

    /// <summary>The usual cause of an offline init failure, said plainly.</summary>
    public static string InitHint(ToolResult init) =>
        init.Text.Contains("registry.terraform.io", StringComparison.Ordinal) || string.Join(' ', init.Error).Contains("registry.terraform.io", StringComparison.Ordinal)
            ? $"no provider available offline: pass --terraform-plugin-dir=DIR or set TF_CLI_CONFIG_FILE to a CLI config with a filesystem_mirror ({init.Tail(3)})"
            : init.Tail();

    private static Outcome? Missing(BuildContext context, string folder)
    {
        var directory = context.Paths.Combine(folder);
        return !Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.tf").Any()
            ? Outcome.NotImplemented($"{folder} has no .tf files")
            : null;
    }
}
