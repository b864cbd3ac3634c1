using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// Upgrades --env's cluster to --to (playbooks/upgrade-cluster.yml): the version skew
/// checked here and again on the cluster, an etcd snapshot first, the control planes
/// one at a time, then the workers drained and uncordoned one batch at a time; a
/// failed batch stops the rollout. Prod needs --confirm=prod.
/// </summary>
[TaskDescription("UpgradeCluster: kubeadm upgrade of --env's cluster to --to=x.y.z - skew preflight, etcd snapshot, control planes one at a time, workers drained in batches; prod needs --confirm=prod")]
public sealed class UpgradeCluster : PlatformTask
{
    public override PlatformAction Action => new(
        "upgrade the cluster of --env to --to (playbooks/upgrade-cluster.yml)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.Upgrade()))
    {
        Refuse = DayTwo.UpgradeRefusal,
    };

    protected override void Define(Checklist checklist) =>
        checklist
            .Offline("Version skew allows the upgrade", c => c.Operations.SkewAllowed()).Reading("ansible/inventory/**")
            .Offline("Day-2 playbooks lint clean and pass the syntax check", c => c.Operations.PlaybooksClean()).Reading("ansible/**")
            .Live("Every node and the API server at the new version", Needs.Cluster, c => c.Kubernetes.NodesAtVersion(c.Options.UpgradeTo ?? "?"));
}
