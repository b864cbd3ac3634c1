using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.5")]
[TaskDescription("Task 4.5: Deploy Application via ArgoCD - applies the Application of --env, syncs, waits for Synced and Healthy")]
[IsDependentOn(typeof(CreateArgoCdApplication))]
public sealed class DeployApplication : SeedTask
{
    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("apply and sync the Argo CD Application of the environment", Needs.Cluster);
}
