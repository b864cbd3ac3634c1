using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.2")]
[TaskDescription("Task 4.2: Create Network Policies - default deny, DNS, same-namespace, ingress and monitoring policies")]
[IsDependentOn(typeof(CreateNamespaces))]
public sealed class CreateNetworkPolicies : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/network-policies/base/default-deny.yaml",
        "kubernetes/network-policies/base/allow-dns.yaml",
        "kubernetes/network-policies/org-a/allow-ingress.yaml",
        "kubernetes/network-policies/kustomization.yaml",
    ];

    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("apply the network policies to the cluster", Needs.Cluster);
}
