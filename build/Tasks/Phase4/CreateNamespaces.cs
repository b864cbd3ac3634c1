using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tenancy;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.1")]
[TaskDescription("Task 4.1: Create Namespace Manifests - tenant namespaces with Pod Security, ResourceQuota, LimitRange and a deployer; the admission guardrails")]
[IsDependentOn(typeof(Phase2.ExecuteKubernetesSetup))]
public sealed class CreateNamespaces : SeedTask
{
    public override PlatformAction Action => new("apply the guardrails and the namespaces placed on --env's cluster (server-side)", Needs.Cluster,
        c => c.Tenancy.ApplyNamespaces());

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Namespaces created", Needs.Cluster, c => c.Tenancy.NamespacesPresent())
            .Live("ResourceQuotas applied", Needs.Cluster, c => c.Tenancy.QuotasApplied())
            .Live("LimitRanges active", Needs.Cluster, c => c.Tenancy.LimitRangesActive())
            .Offline("Manifests render and parse strictly", c => c.Tenancy.NamespacesParse())
            .Offline("Generated from the tenant catalog and current", c => c.Tenancy.NamespacesCurrent())
            .Offline("Namespaces enforce Pod Security restricted, quota and limits", c => c.Tenancy.NamespaceGuardrails())
            .Offline("Admission policies compile and guard every tenant namespace", c => c.Tenancy.AdmissionPolicies());
}
