using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Tasks.Phase2;

namespace Platform.Build.Tasks.Checkpoints;

[TaskDescription("Checkpoint 2: Kubernetes Cluster Ready - Phase 2 done (run after ExecuteKubernetesSetup)")]
[IsDependentOn(typeof(ExecuteKubernetesSetup))]
public sealed class Checkpoint2 : CheckpointTask
{
    public override int Number => 2;

    protected override void Define(Checklist checklist) =>
        checklist
            .Derived("All nodes joined cluster",
                (nameof(ExecuteKubernetesSetup), "Playbook completes successfully"), (nameof(CreateWorkerRole), "Workers join successfully"))
            .Derived("All nodes in Ready state", (nameof(ExecuteKubernetesSetup), "`kubectl get nodes` shows all nodes Ready"))
            .Derived("Cilium healthy",
                (nameof(ExecuteKubernetesSetup), "`cilium status` shows OK"), (nameof(CreateCiliumRole), "Cilium health check passes"))
            .Derived("Network policies can be applied", (nameof(CreateCiliumRole), "Network policies can be applied"))
            .Derived("Can deploy test workloads", (nameof(ExecuteKubernetesSetup), "Can deploy test pod"))
            .Live("kubectl access configured", Needs.Cluster, c => c.Kubernetes.Access());
}
