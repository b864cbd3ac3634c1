using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.2")]
[TaskDescription("Task 3.2: Install ArgoCD - applies Argo CD, waits for Ready, stores the admin password (0600)")]
[IsDependentOn(typeof(CreateArgoCdManifests))]
public sealed class InstallArgoCd : SeedTask
{
    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("install Argo CD into the cluster", Needs.Cluster);
}
