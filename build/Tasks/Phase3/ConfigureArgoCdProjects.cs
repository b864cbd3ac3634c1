using Platform.Build.Checks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.3")]
[TaskDescription("Task 3.3: Configure ArgoCD Projects - one AppProject per organization (from the tenant catalog), default project locked")]
[IsDependentOn(typeof(InstallArgoCd))]
public sealed class ConfigureArgoCdProjects : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/argocd/projects/org-a-project.yaml",
        "kubernetes/argocd/projects/org-b-project.yaml",
        "kubernetes/argocd/projects/kustomization.yaml",
    ];

    public override PlatformAction Action => new("apply the AppProjects (server-side)", Needs.Cluster, c => new TenantLive(c).Apply(TenancyChecks.Projects));

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Projects created in ArgoCD", Needs.Cluster, c => new TenantLive(c).ProjectsPresent())
            .Offline("Projects have correct permissions", TenancyChecks.ProjectPermissions)
            .Offline("Cannot deploy outside allowed namespaces", TenancyChecks.DeployBoundaries)
            .Offline("Manifests render and parse strictly", c => KubernetesChecks.RenderStrict(c, TenancyChecks.Projects))
            .Offline("Generated from the tenant catalog and current", c => TenancyChecks.GeneratedCurrent(c, TenancyChecks.Projects));
}
