using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// An on-demand etcd snapshot of --env (playbooks/etcd-snapshot.yml), copied to
/// .secrets/&lt;env&gt;/etcd/ (0600) with its sha256 and the Secrets encryption configuration:
/// what RestoreEtcd takes. The control planes' timer makes one every 15 minutes too.
/// </summary>
[TaskDescription("BackupEtcd: an on-demand etcd snapshot of --env to .secrets/<env>/etcd/ with its sha256 and encryption configuration (playbooks/etcd-snapshot.yml)")]
public sealed class BackupEtcd : PlatformTask
{
    public override PlatformAction Action => new(
        "snapshot etcd of --env to .secrets/<env>/etcd/ (playbooks/etcd-snapshot.yml)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.Backup()));
}
