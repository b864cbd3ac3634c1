using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// The seed's Ansible rollback for --env, at the revision checked out: an etcd snapshot
/// (kept in .secrets/), playbooks/k8s-destroy.yml, then playbooks/k8s-setup.yml. Destroys
/// the cluster's workloads: Argo CD syncs them back from Git. Prod needs --confirm=prod.
/// </summary>
[TaskDescription("RollbackCluster: the seed's Ansible rollback at the checked-out revision - etcd snapshot, k8s-destroy, k8s-setup for --env; prod needs --confirm=prod")]
public sealed class RollbackCluster : PlatformTask
{
    public override PlatformAction Action => new(
        "snapshot etcd, destroy and rebuild the cluster of --env (etcd-snapshot, k8s-destroy, k8s-setup)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.RollbackCluster()));

    protected override void Define(Checklist checklist) =>
        checklist.Live("Every node Ready after the rebuild", Needs.Cluster, c => c.Kubernetes.NodesReady());
}
