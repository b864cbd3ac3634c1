using Cake.Core;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Hosting;

namespace Platform.Build.Core.Context;

/// <summary>A bad option value; one line naming the option and the fix (exit code 2).</summary>
public sealed class OptionException(string message) : RefusedException(message);

/// <summary>The platform's environments. Anything else is refused.</summary>
/// <summary>The platform's environments: one Terraform environment, one cluster each.</summary>
public static class PlatformEnvironments
{
    public static readonly IReadOnlyList<string> All = ["dev", "prod"];
}

public enum PlatformEnvironment
{
    Dev,
    Prod,
}

/// <summary>
/// The build's own options (beyond Frosting's host options), parsed and
/// checked once. An unknown option is an error, not silently ignored: a
/// mistyped <c>--confrim=prod</c> or <c>--kubconfig</c> must not pass.
/// </summary>
public sealed class BuildOptions
{
    /// <summary>Every option, with the help line shown by --help and the README.</summary>
    public static readonly IReadOnlyList<(string Name, string Help)> Known =
    [
        ("env", "environment: dev (default) or prod"),
        ("confirm", "=prod: required before anything changes prod"),
        ("kubeconfig", "=PATH: the cluster for live checks and cluster changes"),
        ("install-tools", "install missing tools from Debian packages (as root) before running"),
        ("terraform-plugin-dir", "=DIR: a local provider mirror for offline terraform init"),
        ("apply-plan", "=FILE: apply this reviewed plan (ApplyInfrastructure saves it; nothing else is ever applied)"),
        ("revision", "=GIT-REV: the earlier commit RollbackInfrastructure plans; =N: the Argo CD history id RollbackApp goes back to"),
        ("git-token-file", "=FILE: the Git token Argo CD reads the repository with (0600; or set PLATFORM_GIT_TOKEN)"),
        ("to", "=1.33.x: the exact Kubernetes version UpgradeCluster upgrades --env's cluster to"),
        ("node", "=NAME: the node (inventory hostname) RemoveNode drains, deletes and, for a control plane, removes from etcd"),
        ("snapshot", "=FILE: the etcd snapshot RestoreEtcd restores on --env's cluster (with its .sha256 beside it)"),
        ("no-cache", "run every offline and lint check, replaying nothing from artifacts/cache"),
        ("parallel", "=N: tasks run side by side, at most N at once (default: the core count; 1: one after another)"),
    ];

    /// <summary>The options as --help lists them.</summary>
    public static string Help =>
        "Platform options:\n" + string.Join('\n', Known.Select(k => $"      --{k.Name,-22}{k.Help}"))
        + "\n\nTargets: ./build.sh --description; the README explains modes, statuses and reports.";

    /// <summary>Set by the host itself, not typed by users.</summary>
    private static readonly string[] HostArguments = ["target"];

    private BuildOptions(IReadOnlyList<string> targets, PlatformEnvironment environment, bool confirmed, string? kubeconfig, bool installTools, string? terraformPluginDir)
    {
        Targets = targets;
        Environment = environment;
        Confirmed = confirmed;
        Kubeconfig = kubeconfig;
        InstallTools = installTools;
        TerraformPluginDir = terraformPluginDir;
    }

    public IReadOnlyList<string> Targets { get; }
    public PlatformEnvironment Environment { get; }

    /// <summary>True when <c>--confirm</c> names the environment (required to change prod).</summary>
    public bool Confirmed { get; }

    public string? Kubeconfig { get; }

    /// <summary>--dryrun: the tasks are listed, nothing runs (the lifetime does nothing either).</summary>
    public bool DryRun { get; private init; }
    public bool InstallTools { get; }

    /// <summary>--revision: the commit whose Terraform configuration RollbackInfrastructure plans.</summary>
    public string? Revision { get; private init; }

    /// <summary>--apply-plan: the saved, reviewed plan Task 1.6 applies (absolute path).</summary>
    public string? ApplyPlan { get; private init; }
    public string? TerraformPluginDir { get; }

    /// <summary>--no-cache: nothing is replayed from the result cache.</summary>
    public bool NoCache { get; private init; }

    /// <summary>--parallel=N: how many tasks may run at once (1: one after another).</summary>
    public int Parallel { get; private init; } = System.Environment.ProcessorCount;

    /// <summary>
    /// The options an offline check's result may depend on (part of every
    /// cache key). Left out: the targets, and options that only decide what
    /// runs or how (--install-tools changes tools, which are keyed themselves).
    /// </summary>
    public IReadOnlyList<(string Name, string Value)> CacheKey =>
    [
        ("env", EnvironmentName),
        ("env given", EnvironmentGiven.ToString()), // no --env checks both clusters' tenancy; --env=dev only dev's
        ("confirm", Confirmed.ToString()),
        ("kubeconfig", Kubeconfig ?? string.Empty),
        ("terraform-plugin-dir", TerraformPluginDir ?? string.Empty),
        ("apply-plan", ApplyPlan ?? string.Empty),
        ("revision", Revision ?? string.Empty),
        ("git-token-file", GitTokenFile ?? string.Empty),
        ("to", UpgradeTo ?? string.Empty),
        ("node", Node ?? string.Empty),
        ("snapshot", Snapshot ?? string.Empty),
    ];

    /// <summary>--to: the Kubernetes version UpgradeCluster upgrades to (x.y.z).</summary>
    public string? UpgradeTo { get; private init; }

    /// <summary>--node: the inventory hostname RemoveNode removes.</summary>
    public string? Node { get; private init; }

    /// <summary>--snapshot: the etcd snapshot the live restore uses (absolute path).</summary>
    public string? Snapshot { get; private init; }

    /// <summary>--git-token-file: the Git token for Task 3.4 (absolute path; the token itself is never an argument).</summary>
    public string? GitTokenFile { get; private init; }

    public string EnvironmentName => Environment.ToString().ToLowerInvariant();

    /// <summary>--env was given (a run for one environment), not left to its default.</summary>
    public bool EnvironmentGiven { get; private init; }

    /// <summary>Parses and checks the options; relative paths are relative to <paramref name="callerDirectory"/>.</summary>
    public static BuildOptions Parse(ICakeArguments arguments, string callerDirectory, bool dryRun = false)
    {
        var all = arguments.GetArguments();
        foreach (var name in all.Keys.Where(n => !HostArguments.Contains(n, StringComparer.OrdinalIgnoreCase) && !Known.Any(k => k.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
        {
            var close = TargetSuggestions.Closest(name, Known.Select(k => k.Name), 1);
            var hint = close.Count > 0 ? $"did you mean --{close[0]}?" : "see --help for the options";
            throw new OptionException($"unknown option --{name}: {hint}");
        }

        // Exact values only: --env=PROD is a typo to point out, not prod (it also names folders and files).
        var environment = Valued(arguments, "env", "dev") switch
        {
            null or "dev" => PlatformEnvironment.Dev,
            "prod" => PlatformEnvironment.Prod,
            var e when e.Equals("dev", StringComparison.OrdinalIgnoreCase) || e.Equals("prod", StringComparison.OrdinalIgnoreCase) =>
                throw new OptionException($"--env={e} is not valid: did you mean --env={e.ToLowerInvariant()}?"),
            var e => throw new OptionException($"--env={e} is not valid: use --env=dev or --env=prod"),
        };
        var envName = environment.ToString().ToLowerInvariant();

        var confirm = Valued(arguments, "confirm", "prod");
        if (confirm is not null && !confirm.Equals(envName, StringComparison.Ordinal))
        {
            throw new OptionException($"--confirm={confirm} does not match --env={envName}: to change {envName}, pass --confirm={envName}");
        }

        var kubeconfig = Valued(arguments, "kubeconfig", "PATH");
        if (kubeconfig is not null)
        {
            kubeconfig = System.IO.Path.GetFullPath(kubeconfig, callerDirectory);
            if (Directory.Exists(kubeconfig))
            {
                throw new OptionException($"--kubeconfig={Single(arguments, "kubeconfig")}: {kubeconfig} is a directory: pass the kubeconfig file in it (e.g. .secrets/dev/kubeconfig)");
            }

            if (!File.Exists(kubeconfig))
            {
                throw new OptionException($"--kubeconfig={Single(arguments, "kubeconfig")}: file {kubeconfig} not found: pass the path of a readable kubeconfig");
            }
        }

        var pluginDir = Valued(arguments, "terraform-plugin-dir", "DIR");
        if (pluginDir is not null)
        {
            pluginDir = System.IO.Path.GetFullPath(pluginDir, callerDirectory);
            if (!Directory.Exists(pluginDir))
            {
                throw new OptionException($"--terraform-plugin-dir={Single(arguments, "terraform-plugin-dir")}: directory {pluginDir} not found: pass a provider mirror, e.g. /opt/tf-plugins");
            }
        }

        var installTools = Flag(arguments, "install-tools");

        var targets = arguments.HasArgument("target") ? arguments.GetArguments("target").ToList() : ["Default"];
        var applyPlan = Valued(arguments, "apply-plan", "artifacts/terraform/dev.tfplan");
        return new BuildOptions(targets, environment, confirm is not null, kubeconfig, installTools, pluginDir)
        {
            DryRun = dryRun,
            EnvironmentGiven = arguments.HasArgument("env"),
            ApplyPlan = applyPlan is null ? null : System.IO.Path.GetFullPath(applyPlan, callerDirectory),
            Revision = Valued(arguments, "revision", "HEAD~1"),
            GitTokenFile = Valued(arguments, "git-token-file", "~/.config/platform/git-token") is { } token ? System.IO.Path.GetFullPath(token, callerDirectory) : null,
            NoCache = Flag(arguments, "no-cache"),
            Parallel = ParallelOf(arguments),
            UpgradeTo = VersionOf(arguments),
            Node = NodeOf(arguments),
            Snapshot = SnapshotOf(arguments, callerDirectory),
        };
    }

    private static string? VersionOf(ICakeArguments arguments)
    {
        var to = Valued(arguments, "to", "1.33.2");
        return to is null || System.Text.RegularExpressions.Regex.IsMatch(to, @"^\d+\.\d+\.\d+$")
            ? to
            : throw new OptionException($"--to={to} is not valid: give the exact version to upgrade to, e.g. --to=1.33.2 (no 'v', no wildcard)");
    }

    private static string? NodeOf(ICakeArguments arguments)
    {
        var node = Valued(arguments, "node", "platform-dev-worker-i-0abc");
        return node is null || System.Text.RegularExpressions.Regex.IsMatch(node, @"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
            ? node
            : throw new OptionException($"--node={node} is not valid: give the node's inventory hostname (lower-case letters, digits, '-' and '.'), as ansible-inventory --graph shows it");
    }

    private static string? SnapshotOf(ICakeArguments arguments, string callerDirectory)
    {
        var snapshot = Valued(arguments, "snapshot", ".secrets/dev/etcd/etcd-20261201T000000Z.db");
        if (snapshot is null)
        {
            return null;
        }

        var path = System.IO.Path.GetFullPath(snapshot, callerDirectory);
        return File.Exists(path)
            ? path
            : throw new OptionException($"--snapshot={snapshot}: file {path} not found: pass a snapshot etcd-snapshot.yml or the backup timer made");
    }

    /// <summary>A switch: bare, =true or =false.</summary>
    private static bool Flag(ICakeArguments arguments, string name) => Single(arguments, name)?.ToLowerInvariant() switch
    {
        null or "false" => false,
        "true" or "" => true,
        var v => throw new OptionException($"--{name}={v} is not valid: write --{name} (or =true/false)"),
    };

    private static int ParallelOf(ICakeArguments arguments)
    {
        var value = Valued(arguments, "parallel", "2");
        if (value is null)
        {
            return System.Environment.ProcessorCount;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64
            ? n
            : throw new OptionException($"--parallel={value} is not valid: give a number of tasks from 1 to 64 (1 runs them one after another)");
    }

    /// <summary>An option that takes a value: a bare --name (which the host reads as "true") is refused.</summary>
    private static string? Valued(ICakeArguments arguments, string name, string example)
    {
        var value = Single(arguments, name);
        return value is "true" or ""
            ? throw new OptionException($"--{name} needs a value: --{name}={example}")
            : value;
    }

    private static string? Single(ICakeArguments arguments, string name)
    {
        if (!arguments.HasArgument(name))
        {
            return null;
        }

        var values = arguments.GetArguments(name);
        return values.Count == 1
            ? values.First()
            : throw new OptionException($"--{name} is given {values.Count} times: give it once");
    }
}
