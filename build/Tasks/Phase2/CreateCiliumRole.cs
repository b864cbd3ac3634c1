using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.6")]
[TaskDescription("Task 2.6: Create Cilium Installation Role - Cilium via Helm: kube-proxy replacement, IPAM, Hubble")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreateCiliumRole : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Lint("`ansible-lint` passes", c => c.Ansible.Lint("roles/cilium"))
            .Live("Cilium health check passes", Needs.Cluster, c => c.Kubernetes.CiliumHealthy())
            .Live("Network policies can be applied", Needs.Cluster, c => c.Kubernetes.NetworkPoliciesApply())
            .Offline("Cilium values render for kube-proxy replacement", c => c.Ansible.CiliumValues())
            .Offline("README documents variables", c => c.Ansible.ReadmeDocumentsVariables("cilium"));
}
