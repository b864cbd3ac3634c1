using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.1")]
[TaskDescription("Task 3.1: Create ArgoCD Installation Manifests - Argo CD install manifests (kustomize) and namespace")]
[IsDependentOn(typeof(Phase2.ExecuteKubernetesSetup))]
public sealed class CreateArgoCdManifests : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/argocd/install/kustomization.yaml",
        "kubernetes/argocd/install/namespace.yaml",
        "kubernetes/argocd/install/README.md",
    ];
}
