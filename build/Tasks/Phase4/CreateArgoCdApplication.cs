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

    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/argocd/applications/sso-dev.yaml",
        "kubernetes/argocd/applications/sso-prod.yaml",
        "kubernetes/argocd/applications/kustomization.yaml",
        "kubernetes/argocd/applications/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Application appears in ArgoCD", Needs.Cluster, c => new ApplicationLive(c, App).Appears())
            .Offline("Points to correct path", c => ArgoApplicationChecks.PointsToCorrectPath(c, App))
            .Offline("Sync policy configured", c => ArgoApplicationChecks.SyncPolicy(c, App))
            .Offline("Within its AppProject (Argo CD's rules, simulated)", c => ArgoApplicationChecks.WithinProject(c, App))
            .Offline("Manifests render and parse strictly", c => KubernetesChecks.RenderStrict(c, "kubernetes/argocd/applications"));
}
