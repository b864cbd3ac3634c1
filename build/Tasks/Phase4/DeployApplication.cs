using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Monitoring;

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
        c => c.Apps.Deploy(App, Timeout));

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Application synced successfully", Needs.Cluster, c => c.Apps.Synced(App))
            .Live("All resources healthy in ArgoCD", Needs.Cluster, c => c.Apps.Healthy(App))
            .Live("Pods running", Needs.Cluster, c => c.Apps.PodsRunning(App))
            .Live("Application accessible", Needs.Cluster, c => c.Apps.Accessible(App))
            .Live("Metrics/logs flowing", Needs.Cluster, c => c.Monitoring.MetricsAndLogs(App));
}
