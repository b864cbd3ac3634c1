using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.5")]
[TaskDescription("Task 2.5: Create Kubernetes Worker Role - worker join, labels and taints")]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreateWorkerRole : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Lint("`ansible-lint` passes", c => c.Ansible.Lint("roles/k8s-worker"))
            .Live("Role idempotent", Needs.Hosts, c => Task.FromResult(c.Ansible.CheckModeConverged("workers")))
            .Live("Workers join successfully", Needs.Hosts | Needs.Cluster, async c => await c.Kubernetes.WorkersJoined(c.Ansible.Workers()))
            .Offline("README documents variables", c => c.Ansible.ReadmeDocumentsVariables("k8s-worker"));
}
