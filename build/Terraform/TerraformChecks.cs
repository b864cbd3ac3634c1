using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>
/// The Phase 1 checks. Everything that runs Terraform works in the build's
/// copy (<see cref="TerraformWorkspace"/>), offline; only fmt reads the sources.
/// </summary>
public static partial class TerraformChecks
{
    /// <summary><c>terraform fmt -check -recursive</c> over a folder of the sources (read-only).</summary>
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

    /// <summary>init (offline, in the copy) and <c>terraform validate</c> of terraform/&lt;folder&gt;.</summary>
    public static Outcome Validate(BuildContext context, string folder)
    {
        if (Missing(context, $"terraform/{folder}") is { } missing)
        {
            return missing;
        }

        var init = context.TerraformSession.Workspace.Init(folder);
        if (!init.Succeeded)
        {
            return Outcome.Fail($"terraform/{folder}: terraform init failed: {TerraformSession.InitHint(init)}");
        }

        var validate = context.TerraformSession.Validate(folder);
        return validate.Succeeded
            ? Outcome.Pass($"terraform/{folder}: {validate.Output.LastOrDefault(l => l.Trim().Length > 0)?.Trim()}")
            : Outcome.Fail($"terraform/{folder}: {validate.Tail()}");
    }

    /// <summary>Both environments initialise and validate offline (the S3 backend replaced by a local one in the copy).</summary>
    public static Outcome InitEnvironments(BuildContext context)
    {
        var both = Outcome.All([.. TerraformSession.Environments.Select(e => Validate(context, $"environments/{e}"))]);
        return both.Status == CheckStatus.Passed
            ? Outcome.Pass("dev and prod initialise offline (in the build's copy, with a local backend instead of S3) and validate")
            : both;
    }

    /// <summary><c>terraform test</c> of a module: its mock-provider plan assertions and expect_failures cases.</summary>
    public static Outcome Test(BuildContext context, string module)
    {
        var tests = context.Paths.Combine($"terraform/modules/{module}/tests");
        if (!Directory.Exists(tests) || !Directory.EnumerateFiles(tests, "*.tftest.hcl").Any())
        {
            return Outcome.NotImplemented($"terraform/modules/{module}/tests has no .tftest.hcl files");
        }

        var init = context.TerraformSession.Workspace.Init($"modules/{module}");
        if (!init.Succeeded)
        {
            return Outcome.Fail($"terraform/modules/{module}: terraform init failed: {TerraformSession.InitHint(init)}");
        }

        var result = context.TerraformSession.Test(module);
        var summary = result.Output.LastOrDefault(l => l.StartsWith("Success!", StringComparison.Ordinal) || l.StartsWith("Failure!", StringComparison.Ordinal));
        return result.Succeeded
            ? Outcome.Pass($"terraform/modules/{module}: {summary ?? "passed"}")
            : Outcome.Fail($"terraform/modules/{module}: {summary ?? string.Empty} {string.Join("; ", result.Output.Where(l => l.Contains("... fail", StringComparison.Ordinal)).Select(l => l.Trim()))} {result.Tail(6)}".Trim());
    }

    /// <summary><c>shellcheck</c> of a script of the sources.</summary>
    public static Outcome Shellcheck(BuildContext context, string script)
    {
        if (!File.Exists(context.Paths.Combine(script)))
        {
            return Outcome.NotImplemented($"{script} does not exist");
        }

        var result = context.RunCommand("shellcheck", new PlatformToolSettings { WorkingDirectory = context.Paths.Root }, "--format=gcc", script);
        return result.Succeeded ? Outcome.Pass($"{script}: no findings") : Outcome.Fail(result.Tail());
    }

    /// <summary>Runs <paramref name="check"/> on the offline plan of one environment (or reports why there is none).</summary>
    public static Outcome WithPlan(BuildContext context, string environment, Func<PlanDocument, Outcome> check) =>
        WithPlans(context, plans => plans.Single(p => p.Environment == environment) is { Plan: { } plan } ? check(plan) : Outcome.Fail("no plan"));

    /// <summary>Runs <paramref name="check"/> on both offline plans, or reports the errors that stopped them.</summary>
    public static Outcome WithPlans(BuildContext context, Func<IReadOnlyList<OfflinePlan>, Outcome> check)
    {
        var absent = TerraformSession.Environments.Where(e => !File.Exists(context.Paths.Combine($"terraform/environments/{e}/main.tf"))).ToList();
        if (absent.Count > 0)
        {
            return Outcome.NotImplemented($"no offline plan without terraform/environments/{string.Join(" and ", absent)}/main.tf");
        }

        var plans = context.TerraformSession.PlanAll();
        var failed = plans.Where(p => !p.Succeeded).ToList();
        return failed.Count > 0
            ? Outcome.Fail(string.Join("; ", failed.SelectMany(p => p.Errors.Select(e => $"{p.Environment} plan: {e}"))))
            : check(plans);
    }

    private static Outcome? Missing(BuildContext context, string folder)
    {
        var directory = context.Paths.Combine(folder);
        return !Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.tf", SearchOption.AllDirectories).Any()
            ? Outcome.NotImplemented($"{folder} has no .tf files")
            : null;
    }
}
