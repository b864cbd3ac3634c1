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

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Manifests valid: `kubectl --dry-run=server`", Needs.Cluster, c => c.Apps.ServerDryRun(App))
            .Offline("Kustomize builds: `kubectl kustomize`", c => c.Kubernetes.RenderStrict(App.Base))
            .Offline("All environment overlays work", c => c.Apps.OverlaysComplete(App))
            .Offline("README documents usage", c => c.Apps.Readme(App))
            .Offline("Pods meet the restricted Pod Security profile", c => c.Apps.PodSecurity(App))
            .Offline("Workloads are reliable (resources, probes, pinned images, disruption budget; replicas spread over zones in prod)", c => c.Apps.Reliability(App))
            .Offline("References resolve (Service, Ingress with TLS, autoscaler, ConfigMaps, Secrets)", c => c.Apps.References(App))
            .Offline("Secrets are referenced, never contained", c => c.Apps.SecretsReferenced(App))
            .Offline("Fits its namespace's quota and limits", c => c.Apps.FitsQuota(App))
            .Offline("Overlays differ from base only where intended", c => c.Apps.OverlaysDifferAsIntended(App))
            .Offline("Network policies let in only the ingress controller and Prometheus, and out only DNS and its database", c => c.Apps.NetworkAdmission(App))
            .Offline("Ingress hosts are its organization's (tenant catalog)", c => c.Apps.HostsOwned(App))
            .Offline("Admitted by the platform's admission policies when its deployer syncs it", c => c.Apps.Admitted(App))
            .Offline("Dex configuration renders from the pod's environment and keeps secrets out", c => c.Apps.DexConfiguration(App));
}
