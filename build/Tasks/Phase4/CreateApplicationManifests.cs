using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.3")]
[TaskDescription("Task 4.3: Create Application Manifests - sso (Dex) for org-a: kustomize base, dev/prod overlays, held to the restricted profile")]
[IsDependentOn(typeof(CreateNamespaces))]
[IsDependentOn(typeof(CreateNetworkPolicies))]
public sealed class CreateApplicationManifests : SeedTask
{
    private static readonly TenantApplication App = TenantApplication.Sso;

    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/apps/sso/base/deployment.yaml",
        "kubernetes/apps/sso/base/service.yaml",
        "kubernetes/apps/sso/base/configmap.yaml",
        "kubernetes/apps/sso/base/serviceaccount.yaml",
        "kubernetes/apps/sso/base/ingress.yaml",
        "kubernetes/apps/sso/base/poddisruptionbudget.yaml",
        "kubernetes/apps/sso/base/externalsecret.yaml",
        "kubernetes/apps/sso/base/kustomization.yaml",
        "kubernetes/apps/sso/overlays/dev/kustomization.yaml",
        "kubernetes/apps/sso/overlays/prod/kustomization.yaml",
        "kubernetes/apps/sso/overlays/prod/horizontalpodautoscaler.yaml",
        "kubernetes/apps/sso/README.md",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Manifests valid: `kubectl --dry-run=server`", Needs.Cluster, c => new ApplicationLive(c, App).ServerDryRun())
            .Offline("Kustomize builds: `kubectl kustomize`", c => KubernetesChecks.RenderStrict(c, App.Base))
            .Offline("All environment overlays work", c => ApplicationChecks.OverlaysComplete(c, App))
            .Offline("README documents usage", c => ApplicationChecks.Readme(c, App))
            .Offline("Pods meet the restricted Pod Security profile", c => ApplicationChecks.PodSecurity(c, App))
            .Offline("Workloads are reliable (resources, probes, pinned images, disruption budget; replicas spread over zones in prod)", c => ApplicationChecks.Reliability(c, App))
            .Offline("References resolve (Service, Ingress with TLS, autoscaler, ConfigMaps, Secrets)", c => ApplicationChecks.References(c, App))
            .Offline("Secrets are referenced, never contained", c => ApplicationChecks.SecretsReferenced(c, App))
            .Offline("Fits its namespace's quota and limits", c => ApplicationChecks.FitsQuota(c, App))
            .Offline("Overlays differ from base only where intended", c => ApplicationChecks.OverlaysDifferAsIntended(c, App))
            .Offline("Network policies let in only the ingress controller and Prometheus, and out only DNS and its database", c => ApplicationChecks.NetworkAdmission(c, App))
            .Offline("Ingress hosts are its organization's (tenant catalog)", c => ApplicationChecks.HostsOwned(c, App))
            .Offline("Admitted by the platform's admission policies when its deployer syncs it", c => ApplicationChecks.Admitted(c, App))
            .Offline("Dex configuration renders from the pod's environment and keeps secrets out", c => ApplicationChecks.DexConfiguration(c, App));
}
