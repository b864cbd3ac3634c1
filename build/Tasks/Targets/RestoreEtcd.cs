using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// The live restore: etcd-restore.yml restores --snapshot on every control plane of
/// --env (etcd and the API server stopped, each member restored with its own name,
/// the old data kept aside), then the API server must answer. Prod needs --confirm=prod.
/// </summary>
[TaskDescription("RestoreEtcd: restores --snapshot=FILE on --env's control planes (playbooks/etcd-restore.yml); prod needs --confirm=prod")]
public sealed class RestoreEtcd : PlatformTask
{
    public override PlatformAction Action => new(
        "restore etcd on every control plane of --env from --snapshot (playbooks/etcd-restore.yml)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.Restore()))
    {
        Refuse = c => c.Options.Snapshot is null
            ? "RestoreEtcd needs --snapshot=FILE: a snapshot from .secrets/<env>/etcd/ or the backup bucket, with its .sha256 beside it"
            : DayTwo.RestoreRefusal(c),
    };

    protected override void Define(Checklist checklist) =>
        checklist.Live("Every node Ready after the restore", Needs.Cluster, c => c.Kubernetes.NodesReady());
}
