using System.Globalization;
using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;

namespace Platform.Build.Operations;

/// <summary>
/// Day-2 operations on --env's cluster, each an Ansible playbook run through
/// the environment's inventory: upgrade, node removal, certificate checks and
/// renewal, the etcd restore. Offline, the playbooks are linted, syntax-checked
/// and the upgrade's version skew is checked before anything is asked of a host.
/// </summary>
public static class DayTwo
{
    public const string Upgrade = "playbooks/upgrade-cluster.yml";
    public const string Remove = "playbooks/remove-node.yml";
    public const string CheckCerts = "playbooks/check-certs.yml";
    public const string RenewCerts = "playbooks/renew-certs.yml";
    public const string Restore = "playbooks/etcd-restore.yml";
    public const string BackupRole = "roles/etcd-backup";

    /// <summary>Certificates expiring sooner than this fail the check (KubeOne renews within 90 days too).</summary>
    public const int RenewDays = 90;

    public static readonly IReadOnlyList<string> Playbooks = [Restore, Upgrade, Remove, CheckCerts, RenewCerts];

    private static readonly TimeSpan Long = TimeSpan.FromHours(4);
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(30);

    /// <summary>"Day-2 playbooks lint clean in the production profile and pass the syntax check" (with the backup role).</summary>
    public static Outcome PlaybooksClean(BuildContext context) =>
        Outcome.All(AnsibleChecks.Lint(context, [.. Playbooks, "playbooks/tasks", BackupRole]), AnsibleChecks.SyntaxCheck(context, [.. Playbooks]));

    /// <summary>The Kubernetes version --env's inventory runs (group_vars/all.yml's k8s_version).</summary>
    public static string? CurrentVersion(BuildContext context)
    {
        var file = context.Paths.Combine($"ansible/inventory/{context.Options.EnvironmentName}/group_vars/all.yml");
        if (!File.Exists(file))
        {
            return null;
        }

        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return stream.Documents.FirstOrDefault()?.RootNode is YamlDotNet.RepresentationModel.YamlMappingNode root ? YamlPath.Scalar(root, "k8s_version") : null;
    }

    /// <summary>
    /// Why kubeadm would refuse (or should not be asked for) this upgrade, or null:
    /// kubeadm upgrades one minor at a time and never down; the same version is not an upgrade.
    /// </summary>
    public static string? SkewProblem(string current, string target)
    {
        if (!Version.TryParse(current, out var from) || !Version.TryParse(target, out var to))
        {
            return $"cannot compare '{current}' with '{target}': give x.y.z versions";
        }

        if (to == from)
        {
            return $"the cluster is already at {current}";
        }

        if (to < from)
        {
            return $"{target} is older than the cluster's {current}: kubeadm does not downgrade; restore a snapshot taken before the upgrade instead";
        }

        if (to.Major != from.Major || to.Minor > from.Minor + 1)
        {
            return $"{current} to {target} skips a minor version: kubeadm upgrades one minor at a time (first --to={from.Major}.{from.Minor + 1}.x)";
        }

        return null;
    }

    /// <summary>The preflight UpgradeCluster refuses on, before any host is touched.</summary>
    public static string? UpgradeRefusal(BuildContext context)
    {
        if (context.Options.UpgradeTo is not { } to)
        {
            return "UpgradeCluster needs --to=x.y.z, the exact Kubernetes version (e.g. --to=1.33.2)";
        }

        return CurrentVersion(context) is not { } current
            ? $"ansible/inventory/{context.Options.EnvironmentName}/group_vars/all.yml has no k8s_version: the skew cannot be checked"
            : SkewProblem(current, to) is { } problem ? $"--to={to}: {problem}" : null;
    }

    /// <summary>"Version skew allows the upgrade", offline: --to against the inventory's version.</summary>
    public static Outcome SkewAllowed(BuildContext context)
    {
        if (context.Options.UpgradeTo is null)
        {
            return Outcome.Skip("no --to given: nothing to upgrade to");
        }

        return UpgradeRefusal(context) is { } refusal
            ? Outcome.Fail(refusal)
            : Outcome.Pass($"{CurrentVersion(context)} to {context.Options.UpgradeTo}: one minor version or a patch up, as kubeadm upgrades; the playbook checks every kubelet's skew on the cluster before it starts");
    }

    /// <summary>The extra variables of the upgrade run: the version, and the worker batch (one at a time unless prod's size allows more).</summary>
    public static IReadOnlyDictionary<string, string> UpgradeVariables(BuildContext context) => new Dictionary<string, string>
    {
        ["k8s_upgrade_to"] = context.Options.UpgradeTo ?? string.Empty,
        ["k8s_upgrade_worker_batch"] = "1",
    };

    public static Outcome RunUpgrade(BuildContext context) => AnsibleLive.RunPlaybook(context, Upgrade, UpgradeVariables(context), Long);

    public static string? RemoveRefusal(BuildContext context) =>
        context.Options.Node is null ? "RemoveNode needs --node=NAME, the node's inventory hostname (ansible-inventory --graph shows them)" : null;

    public static Outcome RunRemove(BuildContext context) =>
        AnsibleLive.RunPlaybook(context, Remove, new Dictionary<string, string> { ["node"] = context.Options.Node! }, Short);

    public static Outcome CertificatesValid(BuildContext context) =>
        AnsibleLive.RunPlaybook(context, CheckCerts, new Dictionary<string, string> { ["k8s_cert_renew_days"] = RenewDays.ToString(CultureInfo.InvariantCulture) }, Short);

    public static Outcome RunRenew(BuildContext context) =>
        AnsibleLive.RunPlaybook(context, RenewCerts, new Dictionary<string, string> { ["k8s_cert_renew_days"] = RenewDays.ToString(CultureInfo.InvariantCulture) }, Long);

    public static string? RestoreRefusal(BuildContext context) =>
        context.Options.Snapshot is not { } snapshot ? null
            : !File.Exists(snapshot + ".sha256") ? $"--snapshot={context.Paths.Relative(snapshot)} has no .sha256 beside it: the restore checks the snapshot before it stops etcd"
            : null;

    /// <summary>
    /// The seed's Ansible rollback at the checked-out revision: a snapshot first (the
    /// cluster's state survives in .secrets/), then k8s-destroy and k8s-setup; the first failure stops it.
    /// </summary>
    public static Outcome RunRollbackCluster(BuildContext context)
    {
        var none = new Dictionary<string, string>();
        var steps = new List<Outcome>();
        foreach (var playbook in new[] { "playbooks/etcd-snapshot.yml", "playbooks/k8s-destroy.yml", "playbooks/k8s-setup.yml" })
        {
            var outcome = AnsibleLive.RunPlaybook(context, playbook, none, Long);
            steps.Add(outcome);
            if (outcome.Status != CheckStatus.Passed)
            {
                return Outcome.Fail($"{outcome.Detail}{(steps.Count > 1 ? $" (after: {string.Join("; ", steps.SkipLast(1).Select(s => s.Detail))})" : string.Empty)}");
            }
        }

        return Outcome.Pass(string.Join("; ", steps.Select(s => s.Detail)));
    }

    public static Outcome RunBackup(BuildContext context) =>
        AnsibleLive.RunPlaybook(context, "playbooks/etcd-snapshot.yml", new Dictionary<string, string>(), Short);

    public static Outcome RunRestore(BuildContext context) =>
        AnsibleLive.RunPlaybook(context, Restore, new Dictionary<string, string> { ["etcd_restore_snapshot"] = context.Options.Snapshot! }, Long);
}
