using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// The disaster-recovery drill, run here for real: Debian's etcd on loopback, the
/// backup role's own snapshot and restore scripts, every key verified, the
/// recovery time measured. Offline; changes nothing outside artifacts/drill.
/// RestoreEtcd is the live restore of --env's cluster.
/// </summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("DisasterRecoveryDrill: etcd on loopback, snapshot and restore with the etcd-backup role's scripts, every key verified, recovery time measured (offline)")]
[IsDependentOn(typeof(Doctor))]
public sealed class DisasterRecoveryDrill : PlatformTask
{
    public const string Item = "Snapshot restored into a new etcd, every key verified, recovery time measured";

    protected override void Define(Checklist checklist) =>
        checklist.Offline(Item, c => c.Operations.Drill()).Reading(OperationsInputs.Drill);
}
