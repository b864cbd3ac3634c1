using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.6")]
[TaskDescription("Task 4.6: Configure Monitoring & Alerting - ServiceMonitor, alerts, dashboard, log aggregation")]
[IsDependentOn(typeof(DeployApplication))]
public sealed class ConfigureMonitoring : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/monitoring/sso-servicemonitor.yaml",
        "kubernetes/monitoring/sso-dashboard.json",
        "kubernetes/monitoring/sso-alerts.yaml",
    ];
}
