using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Monitoring;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.6")]
[TaskDescription("Task 4.6: Configure Monitoring & Alerting - ServiceMonitor, alerts with promtool tests, dashboard, the Prometheus/Loki/Alloy stack")]
[IsDependentOn(typeof(DeployApplication))]
public sealed class ConfigureMonitoring : SeedTask
{
    public static readonly TimeSpan AlertTimeout = TimeSpan.FromMinutes(3);

    public const string SloItem = "SLO recording rules and burn-rate alerts (page and ticket, long and short window) for availability and latency";

    private static readonly TenantApplication App = TenantApplication.Sso;

    public override PlatformAction Action => new(
        "apply the monitoring stack's Applications (kubernetes/monitoring/stack); Argo CD installs them",
        Needs.Cluster,
        c => c.Monitoring.ApplyMonitoringStack(App));

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Metrics being scraped", Needs.Cluster, c => c.Monitoring.Scraped(App))
            .Live("Logs centralized", Needs.Cluster, c => c.Monitoring.LogsCentralized(App))
            .Live("Dashboard shows data", Needs.Cluster, c => c.Monitoring.DashboardShowsData(App))
            .Offline("Test alerts fire", c => c.Monitoring.PromtoolTest())
            .Offline(SloItem, c => c.Monitoring.SloBaselines())
            .Lint("`promtool check rules` passes", c => c.Monitoring.PromtoolCheck())
            .Offline("Every alert has for, severity, summary, description and runbook_url", c => c.Monitoring.AlertsAnnotated())
            .Offline("The ServiceMonitor selects sso's metrics port for the stack's Prometheus", c => c.Monitoring.ServiceMonitorSelects(App))
            .Offline("Dashboard JSON is valid (stable uid, data source variable, a query per panel, $__rate_interval)", c => c.Monitoring.DashboardValid())
            .Offline("Monitoring and logging stack pinned in the platform project", c => c.Monitoring.StackPinned())
            .Offline("Manifests render and parse strictly", c => c.Monitoring.ManifestsParse())
            .Live("An alert fires in the cluster", Needs.Cluster, c => c.Monitoring.AlertFires(App, AlertTimeout));
}
