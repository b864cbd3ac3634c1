using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Ansible;

/// <summary>
/// Phase 2 against real hosts, through the dynamic inventory of --env and the
/// real Terraform outputs: ping, check mode (read-only), and the setup run.
/// </summary>
public static partial class AnsibleLive
{
    /// <summary>"Can ping all hosts: ansible all -m ping".</summary>
    public static Outcome Ping(BuildContext context)
    {
        var settings = new PlatformToolSettings { WorkingDirectory = context.Paths.Ansible, ToolTimeout = TimeSpan.FromMinutes(5) };
        settings.EnvironmentVariables["ANSIBLE_CONFIG"] = Path.Combine(context.Paths.Ansible, "ansible.cfg");
        settings.EnvironmentVariables[EnvironmentBinding.OutputsVariable] = context.TerraformOutputs;
        var result = context.RunCommand("ansible", settings, "all", "--module-name=ansible.builtin.ping", $"--inventory={InventoryChecks.Script(context)}");
        var answered = result.Output.Count(l => l.Contains("| SUCCESS", StringComparison.Ordinal));
        var failed = result.Output.Where(l => l.Contains("| UNREACHABLE", StringComparison.Ordinal) || l.Contains("| FAILED", StringComparison.Ordinal)).Select(l => l.Split(" | ")[0]).ToList();
        return result.Succeeded && failed.Count == 0 && answered > 0
            ? Outcome.Pass($"{answered} hosts answered ping")
            : Outcome.Fail(failed.Count > 0 ? $"no answer from {string.Join(", ", failed)}" : result.Tail(4));
    }

    /// <summary>"Role idempotent" on the real hosts: a check-mode run of k8s-setup (which changes nothing) would change nothing.</summary>
    public static Outcome CheckModeConverged(BuildContext context, string? limit = null)
    {
        var result = Playbook(context, check: true, limit);
        var hosts = Recap().Matches(result.Text).Select(m => (Host: m.Groups["host"].Value, Changed: int.Parse(m.Groups["changed"].Value, System.Globalization.CultureInfo.InvariantCulture), Failed: int.Parse(m.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture) + int.Parse(m.Groups["unreachable"].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        if (hosts.Count == 0)
        {
            return Outcome.Fail($"ansible-playbook --check: {result.Tail(4)}");
        }

        var findings = hosts.Where(h => h.Failed > 0).Select(h => $"{h.Host}: failed or unreachable in check mode")
            .Concat(hosts.Where(h => h.Changed > 0).Select(h => $"{h.Host}: {h.Changed} tasks would change (not converged)"))
            .ToList();
        return Outcome.FromFindings(findings, $"check mode: {hosts.Count} hosts, nothing would change{(limit is null ? string.Empty : $" ({limit})")}");
    }

    /// <summary>Task 2.8's action: run k8s-setup against --env; the kubeconfig comes back to .secrets/&lt;env&gt;/kubeconfig.</summary>
    public static Outcome RunSetup(BuildContext context)
    {
        Directory.CreateDirectory(context.Paths.Secrets);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(context.Paths.Secrets, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var result = Playbook(context, check: false, limit: null);
        var recap = Recap().Matches(result.Text).Select(m => $"{m.Groups["host"].Value}: changed={m.Groups["changed"].Value}").ToList();
        return result.Succeeded
            ? Outcome.Pass($"k8s-setup.yml completed ({string.Join(", ", recap)}); kubeconfig in {context.Paths.Relative(Path.Combine(context.Paths.Secrets, "kubeconfig"))}")
            : Outcome.Fail($"k8s-setup.yml failed: {result.Tail(6)}");
    }

    /// <summary>
    /// A day-2 playbook against --env's hosts (the real outputs, checked at start),
    /// with its extra variables; streamed, since operators watch upgrades and restores.
    /// </summary>
    public static Outcome RunPlaybook(BuildContext context, string playbook, IReadOnlyDictionary<string, string> extraVars, TimeSpan timeout)
    {
        var settings = AnsibleChecks.Settings<AnsiblePlaybookSettings>(context);
        settings.Inventory = InventoryChecks.Script(context);
        settings.EnvironmentVariables[EnvironmentBinding.OutputsVariable] = context.TerraformOutputs;
        foreach (var (name, value) in extraVars)
        {
            settings.ExtraVars[name] = value;
        }

        settings.StreamOutput = true;
        settings.ToolTimeout = timeout;
        var result = context.AnsiblePlaybook(playbook, settings);
        var recap = Recap().Matches(result.Text).Select(m => $"{m.Groups["host"].Value}: changed={m.Groups["changed"].Value}").ToList();
        return result.Succeeded
            ? Outcome.Pass($"{playbook} completed ({string.Join(", ", recap)})")
            : Outcome.Fail($"{playbook} failed: {result.Tail(6)}");
    }

    private static ToolResult Playbook(BuildContext context, bool check, string? limit)
    {
        var settings = AnsibleChecks.Settings<AnsiblePlaybookSettings>(context);
        settings.Inventory = InventoryChecks.Script(context);

        // --env's outputs, checked at start: never whatever the caller's environment names.
        settings.EnvironmentVariables[EnvironmentBinding.OutputsVariable] = context.TerraformOutputs;
        settings.Check = check;
        settings.Diff = check;
        settings.Limit = limit;
        settings.StreamOutput = !check;
        settings.ToolTimeout = TimeSpan.FromMinutes(60);
        return context.AnsiblePlaybook("playbooks/k8s-setup.yml", settings);
    }

    [GeneratedRegex(@"(?m)^(?<host>\S+)\s*:\s*ok=\d+\s+changed=(?<changed>\d+)\s+unreachable=(?<unreachable>\d+)\s+failed=(?<failed>\d+)")]
    private static partial Regex Recap();
}
