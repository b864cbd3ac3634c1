using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Monitoring;

namespace Platform.Build.Tasks.Phase4;

[SeedTask("4.6")]
[TaskDescription("Task 4.6: Configure Monitoring & Alerting - ServiceMonitor, alerts with promtool tests, dashboard, the Prometheus/Loki/Alloy stack")]
[IsDependentOn(typeof(DeployApplication))]
public sealed class ConfigureMonitoring : SeedTask
{
    public static readonly TimeSpan AlertTimeout = TimeSpan.FromMinutes(3);

    private static readonly TenantApplication App = TenantApplication.Sso;

    public override IReadOnlyList<string> Files =>
    [
        "kubernetes/monitoring/sso-servicemonitor.yaml",
        "kubernetes/monitoring/sso-dashboard.json",
        "kubernetes/monitoring/sso-alerts.yaml",
        "kubernetes/monitoring/kustomization.yaml",
        "kubernetes/monitoring/tests/sso-alerts.test.yaml",
        "kubernetes/monitoring/stack/kustomization.yaml",
        "kubernetes/monitoring/stack/kube-prometheus-stack.yaml",
        "kubernetes/monitoring/stack/loki.yaml",
        "kubernetes/monitoring/stack/alloy.yaml",
        "kubernetes/monitoring/stack/sso-monitoring.yaml",
        "kubernetes/monitoring/README.md",
    ];

    public override PlatformAction Action => new(
        "apply the monitoring stack's Applications (kubernetes/monitoring/stack); Argo CD installs them",
        Needs.Cluster,
        c => new MonitoringLive(c, App).ApplyMonitoringStack());

    protected override void Define(Checklist checklist) =>
        checklist
            .Live("Metrics being scraped", Needs.Cluster, c => new MonitoringLive(c, App).Scraped())
            .Live("Logs centralized", Needs.Cluster, c => new MonitoringLive(c, App).LogsCentralized())
            .Live("Dashboard shows data", Needs.Cluster, c => new MonitoringLive(c, App).DashboardShowsData(Dashboard.Load(c.Paths.Combine(MonitoringChecks.DashboardFile), MonitoringChecks.DashboardFile)))
            .Offline("Test alerts fire", MonitoringChecks.PromtoolTest)
            .Lint("`promtool check rules` passes", MonitoringChecks.PromtoolCheck)
            .Offline("Every alert has for, severity, summary, description and runbook_url", MonitoringChecks.AlertsAnnotated)
            .Offline("The ServiceMonitor selects sso's metrics port for the stack's Prometheus", c => MonitoringChecks.ServiceMonitorSelects(c, App))
            .Offline("Dashboard JSON is valid (stable uid, data source variable, a query per panel, $__rate_interval)", MonitoringChecks.DashboardValid)
            .Offline("Monitoring and logging stack pinned in the platform project", MonitoringChecks.StackPinned)
            .Offline("Manifests render and parse strictly", c => KubernetesChecks.RenderStrict(c, MonitoringChecks.Folder, MonitoringChecks.Stack))
            .Live("An alert fires in the cluster", Needs.Cluster, c => new MonitoringLive(c, App).AlertFires(AlertTimeout));
}
