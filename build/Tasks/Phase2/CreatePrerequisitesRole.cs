using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.3")]
[TaskDescription("Task 2.3: Create Kubernetes Prerequisites Role - swap, kernel modules, sysctl, containerd, kubeadm/kubelet/kubectl")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreatePrerequisitesRole : SeedTask
{
    private const string Role = "roles/k8s-prerequisites";

    public override IReadOnlyList<string> Files =>
    [
        "ansible/roles/k8s-prerequisites/tasks/main.yml",
        "ansible/roles/k8s-prerequisites/handlers/main.yml",
        "ansible/roles/k8s-prerequisites/defaults/main.yml",
        "ansible/roles/k8s-prerequisites/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`ansible-lint` passes", c => AnsibleChecks.Lint(c, Role));
}
