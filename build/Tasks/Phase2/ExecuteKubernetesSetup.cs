using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.8")]
[TaskDescription("Task 2.8: Execute Kubernetes Setup - runs k8s-setup for --env and saves the kubeconfig")]
[IsDependentOn(typeof(CreateSetupPlaybook))]
[IsDependentOn(typeof(CreateDynamicInventory))]
public sealed class ExecuteKubernetesSetup : SeedTask
{
    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("run playbooks/k8s-setup.yml against the environment's hosts", Needs.Hosts);
}
