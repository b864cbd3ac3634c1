using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.4")]
[TaskDescription("Task 4.4: Create ArgoCD Application Definition - sso-dev (follows main, prune) and sso-prod (pinned tag, no prune) in project org-a")]
[IsDependentOn(typeof(CreateApplicationManifests))]
[IsDependentOn(typeof(Phase3.ConfigureArgoCdProjects))]
public sealed class CreateArgoCdApplication : SeedTask
{
    private static readonly TenantApplication App = TenantApplication.Sso;

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Application appears in ArgoCD", Needs.Cluster, c => c.Apps.Appears(App))
            .Offline("Points to correct path", c => c.Apps.PointsToCorrectPath(App))
            .Offline("Sync policy configured", c => c.Apps.SyncPolicy(App))
            .Offline("Within its AppProject (Argo CD's rules, simulated)", c => c.Apps.WithinProject(App))
            .Offline("Manifests render and parse strictly", c => c.Kubernetes.RenderStrict("kubernetes/argocd/applications"));
}
