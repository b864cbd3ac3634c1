using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.7")]
[TaskDescription("Task 2.7: Create Main Kubernetes Setup Playbook - k8s-setup, k8s-destroy and etcd-snapshot playbooks")]
[IsDependentOn(typeof(CreatePrerequisitesRole))]
[IsDependentOn(typeof(CreateControlPlaneRole))]
[IsDependentOn(typeof(CreateWorkerRole))]
[IsDependentOn(typeof(CreateCiliumRole))]
public sealed class CreateSetupPlaybook : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Offline("Playbook syntax valid: `ansible-playbook --syntax-check`", c => c.Ansible.SyntaxCheck(AnsibleChecks.Playbooks))
            .Live("Runs in check mode: `ansible-playbook --check`", Needs.Hosts, c => Task.FromResult(c.Ansible.CheckModeConverged()));
}
