using Platform.Build.Audit;
using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// One policy engine over the plans, the rendered manifests, the cluster
/// configuration, the Ansible roles and the CI workflow (audit/README.md).
/// Offline; writes artifacts/reports/audit.sarif.
/// </summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("Audit: every security, tenancy and capacity rule (audit/README.md) over plans, manifests, cluster config, roles and CI, with reviewed waivers; SARIF in artifacts/reports/audit.sarif (offline)")]
[IsDependentOn(typeof(Doctor))]
public sealed class Audit : PlatformTask
{
    public const string Item = "No open audit finding, no expired waiver";

    // The whole repository is read; waivers expire, so a pass is replayed on the same day only.
    protected override void Define(Checklist checklist) =>
        checklist.Offline(Item, c => c.Audit.Run()).Reading(CheckInputs.Repository with { Dated = true });
}
