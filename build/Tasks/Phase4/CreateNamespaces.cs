using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.1")]
[TaskDescription("Task 4.1: Create Namespace Manifests - tenant namespaces with Pod Security, ResourceQuota and LimitRange")]
[IsDependentOn(typeof(Phase2.ExecuteKubernetesSetup))]
public sealed class CreateNamespaces : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/namespaces/org-a-prod.yaml",
        "kubernetes/namespaces/org-a-dev.yaml",
        "kubernetes/namespaces/kustomization.yaml",
    ];

    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("apply the tenant namespaces to the cluster", Needs.Cluster);
}
