using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.8")]
[TaskDescription("Task 2.8: Execute Kubernetes Setup - runs k8s-setup for --env and saves the kubeconfig")]
[IsDependentOn(typeof(CreateSetupPlaybook))]
[IsDependentOn(typeof(CreateDynamicInventory))]
public sealed class ExecuteKubernetesSetup : SeedTask
{
    public override PlatformAction Action => new(
        "run playbooks/k8s-setup.yml against the environment's hosts",
        Needs.Hosts,
        c => Task.FromResult(c.Ansible.RunSetup()));

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Live("Playbook completes successfully", Needs.Hosts, c => Task.FromResult(ActionOutcome(c)))
            .Live("`kubectl get nodes` shows all nodes Ready", Needs.Cluster, c => c.Kubernetes.NodesReady())
            .Live("`cilium status` shows OK", Needs.Cluster, c => c.Kubernetes.CiliumHealthy())
            .Live("Can deploy test pod", Needs.Cluster, c => c.Kubernetes.TestPod(TimeSpan.FromMinutes(3)));

    /// <summary>The item follows this run's playbook action: what it did, or why it did not run.</summary>
    private Outcome ActionOutcome(BuildContext context)
    {
        var action = context.Ledger.Results.LastOrDefault(r => r.Task == Name && r.Kind == ResultKind.Action);
        return action?.Status switch
        {
            CheckStatus.Passed => Outcome.Pass(action.Detail),
            CheckStatus.Failed => Outcome.Fail(action.Detail),
            CheckStatus.Skipped => Outcome.Skip($"the playbook did not run: {action.Detail}"),
            _ => Outcome.Skip("the playbook did not run in this build"),
        };
    }
}
