using Platform.Build.ArgoCd;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.1")]
[TaskDescription("Task 3.1: Create ArgoCD Installation Manifests - pinned argo-cd chart, hardened values (HA in prod), namespace")]
[IsDependentOn(typeof(Phase2.ExecuteKubernetesSetup))]
public sealed class CreateArgoCdManifests : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Manifests valid: `kubectl --dry-run=server`", Needs.Cluster, c => c.ArgoCd.ServerDryRun())
            .Offline("README documents installation", c => c.ArgoCd.ArgoCdReadme())
            .Lint("`yamllint` passes over kubernetes/", c => c.Kubernetes.Yamllint())
            .Offline("Manifests render and parse strictly", c => c.ArgoCd.InstallParses())
            .Offline("Argo CD settings are hardened (exec off, RBAC deny by default, network policies, metrics; HA in prod)", c => c.ArgoCd.ArgoCdSettings());
}
