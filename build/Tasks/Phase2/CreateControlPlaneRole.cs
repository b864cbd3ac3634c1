using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.4")]
[TaskDescription("Task 2.4: Create Kubernetes Control Plane Role - kubeadm init/join of the control plane, kubeconfig, worker join command")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreateControlPlaneRole : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Lint("`ansible-lint` passes", c => c.Ansible.Lint("roles/k8s-control-plane"))
            .Live("Role idempotent", Needs.Hosts, c => Task.FromResult(c.Ansible.CheckModeConverged("control_plane")))
            .Offline("Handles multiple control planes", c => c.Ansible.MultipleControlPlanes())
            .Offline("kubeadm configuration renders as v1beta4 with the hardening", c => c.Ansible.KubeadmConfig())
            .Offline("API server admission and authentication render hardened (EventRateLimit; anonymous only on health endpoints)", c => c.Ansible.ApiServerPolicies())
            .Offline("README documents variables", c => c.Ansible.ReadmeDocumentsVariables("k8s-control-plane"));
}
