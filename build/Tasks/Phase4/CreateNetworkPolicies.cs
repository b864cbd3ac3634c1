using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tenancy;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.2")]
[TaskDescription("Task 4.2: Create Network Policies - default deny, DNS, same-namespace, ingress and monitoring; isolation computed")]
[IsDependentOn(typeof(CreateNamespaces))]
public sealed class CreateNetworkPolicies : SeedTask
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(2);

    public override PlatformAction Action => new("apply the network policies of --env's cluster (server-side)", Needs.Cluster,
        c => c.Tenancy.ApplyNetworkPolicies());

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Offline("Default deny in place", c => c.Tenancy.DefaultDeny())
            .Live("DNS resolution works", Needs.Cluster, c => c.Tenancy.DnsFromTenant(ProbeTimeout))
            .Live("Only allowed traffic passes", Needs.Cluster, c => c.Tenancy.CrossTenantRefused(ProbeTimeout))
            .Offline("Network policies documented", c => c.Tenancy.PoliciesDocumented())
            .Offline("Manifests render and parse strictly", c => c.Tenancy.NetworkPoliciesParse())
            .Offline("Generated from the tenant catalog and current", c => c.Tenancy.NetworkPoliciesCurrent())
            .Offline("Tenant isolation computed from the policies", c => c.Tenancy.Isolation())
            .Live("Policies applied in every tenant namespace", Needs.Cluster, c => c.Tenancy.PoliciesPresent());
}
