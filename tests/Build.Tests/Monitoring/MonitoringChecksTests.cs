using Xunit;
using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Monitoring;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Monitoring;

/// <summary>
/// Task 4.6's offline checks on a copy of the repository: each fails when a
/// user breaks what it guards (alerts, their tests, the ServiceMonitor, the
/// dashboard, the stack's pins).
/// </summary>
public sealed class MonitoringChecksTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private void Edit(string file, string find, string replace) => _repo.Edit(file, find, replace);

    private Outcome Check(Func<global::Platform.Build.Core.Context.BuildContext, Outcome> check) => check(PlatformContext.Create(_repo.Root));

    [Fact]
    public void A_weakened_alert_fails_its_promtool_test()
    {
        Edit("kubernetes/monitoring/sso-alerts.yaml", "              > 0.05", "              > 0.5");

        var outcome = Check(MonitoringChecks.PromtoolTest);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("alertname: SsoHighErrorRate", outcome.Detail);
    }

    [Fact]
    public void An_alert_without_a_quiet_test_or_a_runbook_fails()
    {
        var tests = "kubernetes/monitoring/tests/sso-alerts.test.yaml";
        var text = _repo.Read(tests);
        var quiet = "      - eval_time: 10m\n        alertname: TenantQuotaNearlyExhausted\n        exp_alerts: []\n";
        Assert.Contains(quiet, text);
        _repo.Write(tests, text.Replace(quiet, string.Empty, StringComparison.Ordinal));
        Edit("kubernetes/monitoring/sso-alerts.yaml", "            runbook_url: \"https://github.com/example-org/platform/blob/main/RUNBOOK.md#ssohighlatency\"\n", string.Empty);

        Assert.Equal("alert TenantQuotaNearlyExhausted has no promtool test expecting it to stay quiet", Check(MonitoringChecks.PromtoolTest).Detail);
        Assert.Equal("kubernetes/monitoring/sso-alerts.yaml: SsoHighLatency has no annotations.runbook_url", Check(MonitoringChecks.AlertsAnnotated).Detail);
    }

    [Fact]
    public void A_ServiceMonitor_the_stack_ignores_or_on_a_wrong_port_fails()
    {
        Edit("kubernetes/monitoring/sso-servicemonitor.yaml", "    release: kube-prometheus-stack\n", string.Empty);
        Edit("kubernetes/monitoring/sso-servicemonitor.yaml", "    - port: metrics", "    - port: telemetry");

        var outcome = Check(c => MonitoringChecks.ServiceMonitorSelects(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("lacks the label release: kube-prometheus-stack", outcome.Detail);
        Assert.Contains("scrapes port 'telemetry', which Service sso does not name (http, metrics)", outcome.Detail);
    }

    [Theory]
    [InlineData("\"uid\": \"sso-overview\"", "\"uid\": \"\"", "uid must be set")]
    [InlineData("[$__rate_interval]))\",\n          \"legendFormat\": \"{{code}}\"", "[5m]))\",\n          \"legendFormat\": \"{{code}}\"", "panel 'Requests per second' uses a fixed rate window")]
    [InlineData("\"type\": \"datasource\"", "\"type\": \"constant\"", "no data source variable")]
    public void A_dashboard_that_breaks_the_rules_fails(string find, string replace, string expected)
    {
        Edit(MonitoringChecks.DashboardFile, find, replace);

        var outcome = Check(MonitoringChecks.DashboardValid);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains(expected, outcome.Detail);
    }

    [Fact]
    public void A_hard_coded_data_source_is_a_finding()
    {
        var dashboard = Dashboard.Parse(_repo.Read(MonitoringChecks.DashboardFile).Replace("\"uid\": \"${datasource}\"", "\"uid\": \"P1809F7CD0C75ACF3\"", StringComparison.Ordinal), "d.json");

        Assert.Contains(dashboard.Findings, f => f.Contains("names a data source uid instead of ${datasource}", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unpinned_chart_fails_the_stack_check()
    {
        Edit("kubernetes/monitoring/stack/loki.yaml", "targetRevision: 6.36.1", "targetRevision: 6.x");

        var outcome = Check(MonitoringChecks.StackPinned);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("Application loki: chart loki at '6.x' is not pinned to one version", outcome.Detail);
    }
}
