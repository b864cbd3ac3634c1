using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Monitoring;

/// <summary>Task 4.6's SLO baselines over the folder's PrometheusRules (kubernetes/monitoring/sso-slo.yaml).</summary>
public static class SloChecks
{
    /// <summary>
    /// The SLO baselines: recording rules for sso's SLOs and multiwindow burn-rate alerts
    /// (a page and a ticket) for availability and latency. promtool's tests of every alert,
    /// firing and quiet, are "Test alerts fire".
    /// </summary>
    public static Outcome SloBaselines(BuildContext context)
    {
        var rules = MonitoringChecks.Rules(context);
        var findings = new List<string>();
        var recorded = rules.Where(r => r.Rule.Record?.Contains("slo", StringComparison.OrdinalIgnoreCase) == true || r.Rule.Record?.Contains("sli", StringComparison.OrdinalIgnoreCase) == true).ToList();
        if (recorded.Count == 0)
        {
            findings.Add("no SLO recording rules (record: sso:slo_…)");
        }

        foreach (var slo in new[] { "availability", "latency" })
        {
            var alerts = rules.Where(r => r.Rule.Alert is not null && r.Rule.Labels?.GetValueOrDefault("slo") == slo).ToList();
            foreach (var severity in new[] { "critical", "warning" })
            {
                if (!alerts.Any(a => a.Rule.Labels?.GetValueOrDefault("severity") == severity))
                {
                    findings.Add($"no {(severity == "critical" ? "paging" : "ticket")} burn-rate alert for the {slo} SLO (labels slo: {slo}, severity: {severity})");
                }
            }

            // Multiwindow: each burn-rate alert asks a long and a short window at once.
            findings.AddRange(alerts.Where(a => !Regex.IsMatch(a.Rule.Expr, @"\band\b"))
                .Select(a => $"{a.File}: {a.Rule.Alert} has one window: a burn-rate alert needs a long and a short window ('and')"));
        }

        return Outcome.FromFindings(findings, $"{recorded.Count} SLO recording rules; page and ticket burn-rate alerts on a long and a short window for availability and latency");
    }

}
