using Platform.Build.Monitoring;
using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.5")]
[TaskDescription("Task 4.5: Deploy Application via ArgoCD - applies the Application of --env, syncs, waits for Synced and Healthy")]
[IsDependentOn(typeof(CreateArgoCdApplication))]
public sealed class DeployApplication : SeedTask
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private static readonly TenantApplication App = TenantApplication.Sso;

    public override PlatformAction Action => new(
        "apply the Argo CD Application of --env, sync it and wait until Synced and Healthy",
        Needs.Cluster,
        c => new ApplicationLive(c, App).Deploy(Timeout));

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Application synced successfully", Needs.Cluster, c => new ApplicationLive(c, App).Synced())
            .Live("All resources healthy in ArgoCD", Needs.Cluster, c => new ApplicationLive(c, App).Healthy())
            .Live("Pods running", Needs.Cluster, c => new ApplicationLive(c, App).PodsRunning())
            .Live("Application accessible", Needs.Cluster, c => new ApplicationLive(c, App).Accessible())
            .Live("Metrics/logs flowing", Needs.Cluster, c => new MonitoringLive(c, App).MetricsAndLogs());
}
