using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.3")]
[TaskDescription("Task 4.3: Create Application Manifests - sso application: kustomize base and dev/prod overlays")]
[IsDependentOn(typeof(CreateNamespaces))]
[IsDependentOn(typeof(CreateNetworkPolicies))]
public sealed class CreateApplicationManifests : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/apps/sso/base/deployment.yaml",
        "kubernetes/apps/sso/base/service.yaml",
        "kubernetes/apps/sso/base/configmap.yaml",
        "kubernetes/apps/sso/base/kustomization.yaml",
        "kubernetes/apps/sso/overlays/dev/kustomization.yaml",
        "kubernetes/apps/sso/overlays/prod/kustomization.yaml",
        "kubernetes/apps/sso/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Offline("Kustomize builds: `kubectl kustomize`", c => KubernetesChecks.RenderStrict(c, "kubernetes/apps/sso/base"))
            .Offline("All environment overlays work", c => KubernetesChecks.RenderStrict(c, "kubernetes/apps/sso/overlays/dev", "kubernetes/apps/sso/overlays/prod"));
}
