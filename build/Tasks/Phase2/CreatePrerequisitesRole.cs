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
    public override IReadOnlyList<string> Files =>
    [
        "ansible/roles/k8s-prerequisites/tasks/main.yml",
        "ansible/roles/k8s-prerequisites/handlers/main.yml",
        "ansible/roles/k8s-prerequisites/defaults/main.yml",
        "ansible/roles/k8s-prerequisites/README.md",
        "ansible/roles/k8s-prerequisites/templates/containerd-config.toml.j2",
        "ansible/roles/k8s-prerequisites/templates/sysctl.conf.j2",
        "ansible/tests/converge.yml",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`ansible-lint` passes", c => c.Ansible.Lint("roles/k8s-prerequisites"))
            .Offline("Role idempotent", c => c.Ansible.RoleIdempotent())
            .Offline("README documents variables", c => c.Ansible.ReadmeDocumentsVariables("k8s-prerequisites"));
}
