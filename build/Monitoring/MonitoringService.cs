using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes;

namespace Platform.Build.Monitoring;

/// <summary>
/// What the tasks ask of Monitoring (Task 4.6): the ServiceMonitor, alerts with promtool tests, the dashboard, the monitoring stack; and live, that metrics, logs, dashboard and alerts work. Tasks call these as
/// <c>c.Monitoring.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class MonitoringService(BuildContext context)
{
    public Outcome ManifestsParse() => KubernetesChecks.RenderStrict(context, MonitoringChecks.Folder, MonitoringChecks.Stack);
    public Outcome AlertsAnnotated() => MonitoringChecks.AlertsAnnotated(context);
    public Outcome SloBaselines() => SloChecks.SloBaselines(context);
    public Outcome DashboardValid() => MonitoringChecks.DashboardValid(context);
    public Outcome PromtoolCheck() => MonitoringChecks.PromtoolCheck(context);
    public Outcome PromtoolTest() => MonitoringChecks.PromtoolTest(context);
    public Outcome ServiceMonitorSelects(TenantApplication app) => MonitoringChecks.ServiceMonitorSelects(context, app);
    public Outcome StackPinned() => MonitoringChecks.StackPinned(context);

    // Live: each needs what its task declares (a cluster, AWS credentials, the hosts).
    public Task<Outcome> AlertFires(TenantApplication app, TimeSpan timeout) => new MonitoringLive(context, app).AlertFires(timeout);
    public Task<Outcome> ApplyMonitoringStack(TenantApplication app) => new MonitoringLive(context, app).ApplyMonitoringStack();
    public Task<Outcome> DashboardShowsData(TenantApplication app) =>
        new MonitoringLive(context, app).DashboardShowsData(Dashboard.Load(context.Paths.Combine(MonitoringChecks.DashboardFile), MonitoringChecks.DashboardFile));
    public Task<Outcome> LogsCentralized(TenantApplication app) => new MonitoringLive(context, app).LogsCentralized();
    public Task<Outcome> MetricsAndLogs(TenantApplication app) => new MonitoringLive(context, app).MetricsAndLogs();
    public Task<Outcome> Scraped(TenantApplication app) => new MonitoringLive(context, app).Scraped();
}

public static class MonitoringServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Monitoring's checks and actions for the tasks.</summary>
        public MonitoringService Monitoring => new(context);
    }
}
