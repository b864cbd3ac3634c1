using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.3")]
[TaskDescription("Task 2.3: Create Kubernetes Prerequisites Role - swap, kernel modules, sysctl, containerd, kubeadm/kubelet/kubectl")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreatePrerequisitesRole : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Lint("`ansible-lint` passes", c => c.Ansible.Lint("roles/k8s-prerequisites"))
            .Offline("Role idempotent", c => c.Ansible.RoleIdempotent()).Reading(AnsibleInputs.Converge)
            .Offline("README documents variables", c => c.Ansible.ReadmeDocumentsVariables("k8s-prerequisites"));
}
