using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// The seed's Ansible rollback for --env, with the playbooks checked out: an etcd snapshot
/// (kept in .secrets/), playbooks/k8s-destroy.yml, then playbooks/k8s-setup.yml. It destroys
/// the cluster, Argo CD with it; the workloads come back once Checkpoint 3 ran again.
/// Every environment needs --confirm=&lt;env&gt;: this is the one action that wipes a cluster.
/// </summary>
[TaskDescription("RollbackCluster: the seed's Ansible rollback with the checked-out playbooks - etcd snapshot, k8s-destroy, k8s-setup for --env; needs --confirm=<env> in every environment")]
public sealed class RollbackCluster : PlatformTask
{
    public override PlatformAction Action => new(
        "snapshot etcd, destroy and rebuild the cluster of --env (etcd-snapshot, k8s-destroy, k8s-setup)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.RollbackCluster()))
    {
        Refuse = c => c.Options.Confirmed ? null
            : $"RollbackCluster destroys the cluster of --env={c.Options.EnvironmentName} and builds it again: pass --confirm={c.Options.EnvironmentName} to go ahead",
    };

    protected override void Define(Checklist checklist) =>
        checklist.Live("Every node Ready after the rebuild", Needs.Cluster, c => c.Kubernetes.NodesReady());
}
