using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.4")]
[TaskDescription("Task 2.4: Create Kubernetes Control Plane Role - kubeadm init/join of the control plane, kubeconfig, worker join command")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreateControlPlaneRole : SeedTask
{
    private const string Role = "roles/k8s-control-plane";

    public override IReadOnlyList<string> Files =>
    [
        "ansible/roles/k8s-control-plane/tasks/main.yml",
        "ansible/roles/k8s-control-plane/templates/kubeadm-config.yaml.j2",
        "ansible/roles/k8s-control-plane/handlers/main.yml",
        "ansible/roles/k8s-control-plane/defaults/main.yml",
        "ansible/roles/k8s-control-plane/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`ansible-lint` passes", c => AnsibleChecks.Lint(c, Role));
}
