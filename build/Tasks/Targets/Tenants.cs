using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tenancy;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// Renders kubernetes/tenants/tenants.yaml into the files that follow from it
/// (namespaces, AppProjects, network policies). Offline; changes only those
/// generated files, and nothing at all when the catalog is invalid.
/// </summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("Tenants: renders namespaces, quotas, AppProjects and network policies from kubernetes/tenants/tenants.yaml (offline)")]
public sealed class Tenants : PlatformTask
{
    public const string Item = "Tenant manifests rendered";

    protected override void Define(Checklist checklist) =>
        checklist.Lint(Item, c => c.Tenancy.Render()).Reading(CheckInputs.Writing("the generated files"));
}
