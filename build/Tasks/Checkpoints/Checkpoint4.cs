using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Phase4;

namespace Platform.Build.Tasks.Checkpoints;

[TaskDescription("Checkpoint 4: Application Deployed - Phase 4 done (run after ConfigureMonitoring)")]
[IsDependentOn(typeof(ConfigureMonitoring))]
public sealed class Checkpoint4 : CheckpointTask
{
    public override int Number => 4;

    protected override void Define(Checklist checklist) =>
        checklist
            .Derived("Namespaces created with quotas",
                (nameof(CreateNamespaces), "Namespaces created"), (nameof(CreateNamespaces), "ResourceQuotas applied"))
            .Derived("Network policies enforced",
                (nameof(CreateNetworkPolicies), "Default deny in place"), (nameof(CreateNetworkPolicies), "Only allowed traffic passes"))
            .Derived("Application synced via ArgoCD", (nameof(DeployApplication), "Application synced successfully"))
            .Derived("Application healthy and accessible",
                (nameof(DeployApplication), "All resources healthy in ArgoCD"), (nameof(DeployApplication), "Application accessible"))
            .Derived("Monitoring and logging working",
                (nameof(ConfigureMonitoring), "Metrics being scraped"), (nameof(ConfigureMonitoring), "Logs centralized"))
            .Live("Can perform updates via Git", Needs.Cluster, c => c.Apps.FollowsGit(TenantApplication.Sso));
}
