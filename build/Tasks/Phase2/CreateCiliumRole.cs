using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.6")]
[TaskDescription("Task 2.6: Create Cilium Installation Role - Cilium via Helm: kube-proxy replacement, IPAM, Hubble")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreateCiliumRole : SeedTask
{
    private const string Role = "roles/cilium";

    public override IReadOnlyList<string> Files =>
    [
        "ansible/roles/cilium/tasks/main.yml",
        "ansible/roles/cilium/templates/cilium-values.yaml.j2",
        "ansible/roles/cilium/defaults/main.yml",
        "ansible/roles/cilium/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Lint("`ansible-lint` passes", c => AnsibleChecks.Lint(c, Role));
}
