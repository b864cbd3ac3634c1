using Platform.Build.Checks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

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

    public override PlatformAction Action => new("apply the tenant namespaces (server-side)", Needs.Cluster, c => new TenantLive(c).Apply(TenancyChecks.Namespaces));

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Namespaces created", Needs.Cluster, c => new TenantLive(c).NamespacesPresent())
            .Live("ResourceQuotas applied", Needs.Cluster, c => new TenantLive(c).QuotasApplied())
            .Live("LimitRanges active", Needs.Cluster, c => new TenantLive(c).LimitRangesActive())
            .Offline("Manifests render and parse strictly", c => KubernetesChecks.RenderStrict(c, TenancyChecks.Namespaces))
            .Offline("Generated from the tenant catalog and current", c => TenancyChecks.GeneratedCurrent(c, TenancyChecks.Namespaces))
            .Offline("Namespaces enforce Pod Security restricted, quota and limits", TenancyChecks.NamespaceGuardrails);
}
