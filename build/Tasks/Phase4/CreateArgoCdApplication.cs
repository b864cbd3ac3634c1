using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.4")]
[TaskDescription("Task 4.4: Create ArgoCD Application Definition - Argo CD Applications for sso per environment")]
[IsDependentOn(typeof(CreateApplicationManifests))]
[IsDependentOn(typeof(Phase3.ConfigureArgoCdProjects))]
public sealed class CreateArgoCdApplication : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/argocd/applications/sso-dev.yaml",
        "kubernetes/argocd/applications/sso-prod.yaml",
    ];
}
