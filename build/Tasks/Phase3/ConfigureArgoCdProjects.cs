using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tenancy;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.3")]
[TaskDescription("Task 3.3: Configure ArgoCD Projects - one AppProject per organization and cluster (from the tenant catalog), syncing as the tenant; default project locked")]
[IsDependentOn(typeof(InstallArgoCd))]
public sealed class ConfigureArgoCdProjects : SeedTask
{
    public override PlatformAction Action => new("apply the AppProjects of --env's cluster (server-side)", Needs.Cluster,
        c => c.Tenancy.ApplyProjects());

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Projects created in ArgoCD", Needs.Cluster, c => c.Tenancy.ProjectsPresent())
            .Offline("Projects have correct permissions", c => c.Tenancy.ProjectPermissions())
            .Offline("Cannot deploy outside allowed namespaces", c => c.Tenancy.DeployBoundaries())
            .Offline("Manifests render and parse strictly", c => c.Tenancy.ProjectsParse())
            .Offline("Generated from the tenant catalog and current", c => c.Tenancy.ProjectsCurrent())
            .Offline("Tenant syncs run as the tenant's deployer, which cannot escalate", c => c.Tenancy.DeployerLeastPrivilege())
            .Offline("Who can change what: tenants cannot change RBAC, guardrails or namespace labels, read Secrets or claim others' hosts", c => c.Tenancy.WhoCanChangeWhat());
}
