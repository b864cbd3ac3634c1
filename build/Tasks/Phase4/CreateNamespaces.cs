using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Tenancy;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.1")]
[TaskDescription("Task 4.1: Create Namespace Manifests - tenant namespaces with Pod Security, ResourceQuota, LimitRange and a deployer; the admission guardrails")]
[IsDependentOn(typeof(Phase2.ExecuteKubernetesSetup))]
public sealed class CreateNamespaces : SeedTask
{
    // The guardrails first: a namespace never exists on the cluster without its admission policies.
    public override PlatformAction Action => new("apply the guardrails and the namespaces placed on --env's cluster (server-side)", Needs.Cluster,
        async c => Outcome.All(await c.Tenancy.Apply(TenantLayout.Guardrails), await c.Tenancy.Apply(TenantLayout.Namespaces(c.Options.EnvironmentName))));

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Namespaces created", Needs.Cluster, c => c.Tenancy.NamespacesPresent())
            .Live("ResourceQuotas applied", Needs.Cluster, c => c.Tenancy.QuotasApplied())
            .Live("LimitRanges active", Needs.Cluster, c => c.Tenancy.LimitRangesActive())
            .Offline("Manifests render and parse strictly", c => c.Kubernetes.RenderStrict([.. c.Tenancy.PerCluster(TenantLayout.Namespaces), TenantLayout.Guardrails]))
            .Offline("Generated from the tenant catalog and current", c => c.Tenancy.GeneratedCurrent(TenancyChecks.Namespaces, TenantLayout.Guardrails))
            .Offline("Namespaces enforce Pod Security restricted, quota and limits", c => c.Tenancy.NamespaceGuardrails())
            .Offline("Admission policies compile and guard every tenant namespace", c => c.Tenancy.AdmissionPolicies());
}
