using YamlDotNet.RepresentationModel;
using k8s.Models;
using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tools;

namespace Platform.Build.Monitoring;

/// <summary>Offline checks of the monitoring sources (Task 4.6): rules through promtool, alert hygiene, the ServiceMonitor, the dashboard, the pinned stack.</summary>
public static class MonitoringChecks
{
    public const string Folder = "kubernetes/monitoring";
    public const string Tests = "kubernetes/monitoring/tests";
    public const string Stack = "kubernetes/monitoring/stack";
    public const string DashboardFile = "kubernetes/monitoring/sso-dashboard.json";
    public const string Release = "kube-prometheus-stack";
    private static readonly string[] Severities = ["critical", "warning", "info"];

    /// <summary>Each PrometheusRule source file of the folder, parsed strictly.</summary>
    private static List<(string File, PrometheusRule Rule)> RuleFiles(BuildContext context)
    {
        var found = new List<(string, PrometheusRule)>();
        foreach (var path in Directory.EnumerateFiles(context.Paths.Combine(Folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            if (text.Contains("kind: PrometheusRule", StringComparison.Ordinal))
            {
                found.AddRange(ManifestParser.Parse(text, context.Paths.Relative(path)).Select(m => m.Object).OfType<PrometheusRule>().Select(r => (context.Paths.Relative(path), r)));
            }
        }

        return found;
    }

    /// <summary>Every recording and alerting rule of the folder's PrometheusRules, with its file (RUNBOOK links, the SLO baselines).</summary>
    public static IReadOnlyList<(string File, Rule Rule)> Rules(BuildContext context) =>
        [.. RuleFiles(context).SelectMany(r => r.Rule.Spec.Groups.SelectMany(g => g.Rules).Select(rule => (r.File, rule)))];

    /// <summary><c>promtool check rules</c> on the rule groups of every PrometheusRule: syntax, PromQL, templates.</summary>
    public static Outcome PromtoolCheck(BuildContext context)
    {
        var (rules, written, problem) = WriteRuleFiles(context);
        if (problem is not null)
        {
            return problem;
        }

        var check = context.PromtoolCheckRules(written);
        var count = check.Output.Where(l => l.Contains("rules found", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        return check.Succeeded
            ? Outcome.Pass($"promtool check rules: {string.Join(", ", rules.Select(r => r.File))} ({string.Join("; ", count)})")
            : Outcome.Fail($"promtool check rules: {string.Join(" ", check.Output.Concat(check.Error).Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(6))}");
    }

    /// <summary><c>promtool test rules</c> on the unit tests of the folder, once every alert has a test expecting it to fire and one expecting silence.</summary>
    public static Outcome PromtoolTest(BuildContext context)
    {
        var (rules, _, problem) = WriteRuleFiles(context);
        if (problem is not null)
        {
            return problem;
        }

        var tests = Directory.Exists(context.Paths.Combine(Tests)) ? Directory.EnumerateFiles(context.Paths.Combine(Tests), "*.test.yaml").Order(StringComparer.Ordinal).ToList() : [];
        if (tests.Count == 0)
        {
            return Outcome.NotImplemented($"no *.test.yaml in {Tests}: write promtool unit tests for the alerts");
        }

        var alerts = rules.SelectMany(r => r.Rule.Spec.Groups).SelectMany(g => g.Rules).Select(r => r.Alert).OfType<string>().ToList();
        var coverage = TestCoverage(alerts, tests);
        if (coverage.Count > 0)
        {
            return Outcome.Fail(string.Join("; ", coverage));
        }

        // The tests name the rule files by their extracted names: copies beside them.
        var work = context.Paths.Combine(WorkFolder);
        var copies = tests.Select(t => { var copy = Path.Combine(work, Path.GetFileName(t)); File.Copy(t, copy, overwrite: true); return copy; }).ToList();
        var run = context.PromtoolTestRules(copies);
        return run.Succeeded
            ? Outcome.Pass($"promtool test rules: every one of the {alerts.Count} alerts fires on its test series and stays quiet on the others ({string.Join(", ", tests.Select(context.Paths.Relative))})")
            : Outcome.Fail($"promtool test rules: {string.Join(" ", run.Output.Concat(run.Error).Select(l => l.Trim()).Where(l => l.Length > 0).Take(12))}");
    }

    private const string WorkFolder = "artifacts/monitoring";

    /// <summary>
    /// The rule groups of every PrometheusRule written as a plain Prometheus rule file,
    /// artifacts/monitoring/&lt;file&gt;.rules.yaml (the typed model spells Prometheus' keys).
    /// </summary>
    private static (List<(string File, PrometheusRule Rule)> Rules, List<string> Written, Outcome? Problem) WriteRuleFiles(BuildContext context)
    {
        List<(string File, PrometheusRule Rule)> rules;
        try
        {
            rules = RuleFiles(context);
        }
        catch (ManifestException e)
        {
            return ([], [], Outcome.Fail(e.Message));
        }

        if (rules.Count == 0)
        {
            return ([], [], Outcome.NotImplemented($"no PrometheusRule in {Folder}"));
        }

        var work = context.Paths.Combine(WorkFolder);
        Directory.CreateDirectory(work);
        var serializer = new YamlDotNet.Serialization.SerializerBuilder()
            .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.CamelCaseNamingConvention.Instance)
            .ConfigureDefaultValuesHandling(YamlDotNet.Serialization.DefaultValuesHandling.OmitNull)
            .Build();
        var written = new List<string>();
        foreach (var (file, rule) in rules)
        {
            var target = Path.Combine(work, Path.GetFileNameWithoutExtension(file) + ".rules.yaml");
            File.WriteAllText(target, serializer.Serialize(new { groups = rule.Spec.Groups }));
            written.Add(target);
        }

        return (rules, written, null);
    }

    private static string? Label(V1ObjectMeta metadata, string key) =>
        metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    /// <summary>Every alert needs a test that expects it to fire and one that expects silence.</summary>
    public static IReadOnlyList<string> TestCoverage(IReadOnlyList<string> alerts, IEnumerable<string> testFiles)
    {
        var firing = new HashSet<string>();
        var quiet = new HashSet<string>();
        foreach (var file in testFiles)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            if (!root.Children.TryGetValue(new YamlScalarNode("tests"), out var tests) || tests is not YamlSequenceNode list)
            {
                continue;
            }

            foreach (var alertTest in list.Children.OfType<YamlMappingNode>()
                .Select(t => t.Children.TryGetValue(new YamlScalarNode("alert_rule_test"), out var a) ? a as YamlSequenceNode : null).OfType<YamlSequenceNode>()
                .SelectMany(a => a.Children.OfType<YamlMappingNode>()))
            {
                var name = alertTest.Children.TryGetValue(new YamlScalarNode("alertname"), out var n) ? n.ToString() : string.Empty;
                var expected = alertTest.Children.TryGetValue(new YamlScalarNode("exp_alerts"), out var e) && e is YamlSequenceNode { Children.Count: > 0 };
                (expected ? firing : quiet).Add(name);
            }
        }

        return [.. alerts.Where(a => !firing.Contains(a)).Select(a => $"alert {a} has no promtool test expecting it to fire"),
            .. alerts.Where(a => !quiet.Contains(a)).Select(a => $"alert {a} has no promtool test expecting it to stay quiet")];
    }

    /// <summary>Every alert: a `for`, a known severity, summary, description and an https runbook; every rule object labelled for the stack's Prometheus.</summary>
    public static Outcome AlertsAnnotated(BuildContext context)
    {
        List<(string File, PrometheusRule Rule)> rules;
        try
        {
            rules = RuleFiles(context);
        }
        catch (ManifestException e)
        {
            return Outcome.Fail(e.Message);
        }

        var findings = new List<string>();
        foreach (var (file, rule) in rules)
        {
            if (Label(rule.Metadata, "release") != Release)
            {
                findings.Add($"{file}: PrometheusRule {rule.Metadata.Name} lacks the label release: {Release}, so Prometheus would never load it");
            }

            foreach (var alert in rule.Spec.Groups.SelectMany(g => g.Rules).Where(r => r.Alert is not null))
            {
                var where = $"{file}: {alert.Alert}";
                if (string.IsNullOrEmpty(alert.For))
                {
                    findings.Add($"{where} has no `for`: one bad scrape would page someone");
                }

                if (alert.Labels?.GetValueOrDefault("severity") is not { } severity || !Severities.Contains(severity))
                {
                    findings.Add($"{where}: labels.severity must be one of {string.Join(", ", Severities)}");
                }

                foreach (var key in new[] { "summary", "description", "runbook_url" }.Where(k => string.IsNullOrWhiteSpace(alert.Annotations?.GetValueOrDefault(k))))
                {
                    findings.Add($"{where} has no annotations.{key}");
                }

                if (alert.Annotations?.GetValueOrDefault("runbook_url") is { } url && !url.StartsWith("https://", StringComparison.Ordinal))
                {
                    findings.Add($"{where}: runbook_url must be an https URL");
                }
            }
        }

        var count = rules.Sum(r => r.Rule.Spec.Groups.Sum(g => g.Rules.Count(x => x.Alert is not null)));
        return Outcome.FromFindings(findings, $"{count} alerts, each with for, severity, summary, description and runbook_url; rules labelled release: {Release}");
    }

    /// <summary>The ServiceMonitor is picked up by the stack and selects the application's Service and metrics port in both namespaces.</summary>
    public static Outcome ServiceMonitorSelects(BuildContext context, TenantApplication app)
    {
        var monitoring = context.Renders.Render(Folder);
        if (!monitoring.Succeeded)
        {
            return monitoring.Failure;
        }

        var findings = new List<string>();
        var monitors = monitoring.Objects<ServiceMonitor>().ToList();
        if (monitors.Count == 0)
        {
            return Outcome.NotImplemented($"{Folder} renders no ServiceMonitor");
        }

        foreach (var env in TenantApplication.Environments)
        {
            var render = context.Renders.Render(app.Overlay(env));
            if (!render.Succeeded)
            {
                return render.Failure;
            }

            foreach (var service in render.Objects<V1Service>())
            {
                var labels = (IReadOnlyDictionary<string, string>)(service.Metadata.Labels ?? new Dictionary<string, string>());
                var monitor = monitors.FirstOrDefault(m => Kubernetes.Network.PolicyEvaluator.Selects(m.Spec.Selector, labels)
                    && (m.Spec.NamespaceSelector?.Any == true || m.Spec.NamespaceSelector?.MatchNames?.Contains(app.Namespace(env)) == true));
                if (monitor is null)
                {
                    findings.Add($"{env}: no ServiceMonitor selects Service {service.Metadata.Name} in {app.Namespace(env)}");
                    continue;
                }

                if (Label(monitor.Metadata, "release") != Release)
                {
                    findings.Add($"ServiceMonitor {monitor.Metadata.Name} lacks the label release: {Release}: the stack's Prometheus selects only those");
                }

                var ports = (service.Spec.Ports ?? []).Select(p => p.Name).ToHashSet();
                findings.AddRange(monitor.Spec.Endpoints.Where(e => e.Port is null || !ports.Contains(e.Port))
                    .Select(e => $"{env}: ServiceMonitor {monitor.Metadata.Name} scrapes port '{e.Port}', which Service {service.Metadata.Name} does not name ({string.Join(", ", ports)})"));
            }
        }

        return Outcome.FromFindings(findings.Distinct().ToList(),
            $"ServiceMonitor {string.Join(", ", monitors.Select(m => m.Metadata.Name))} (release: {Release}) scrapes {app.Name}'s metrics port in {string.Join(" and ", TenantApplication.Environments.Select(app.Namespace))}");
    }

    /// <summary>The dashboard JSON follows the rules, and ships in a ConfigMap the Grafana sidecar picks up.</summary>
    public static Outcome DashboardValid(BuildContext context)
    {
        var path = context.Paths.Combine(DashboardFile);
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented($"{DashboardFile} does not exist");
        }

        var dashboard = Dashboard.Load(path, DashboardFile);
        var findings = dashboard.Findings.ToList();
        var render = context.Renders.Render(Folder);
        if (!render.Succeeded)
        {
            return render.Failure;
        }

        var shipped = render.Objects<V1ConfigMap>().FirstOrDefault(c => c.Data?.ContainsKey(Path.GetFileName(DashboardFile)) == true);
        if (shipped is null)
        {
            findings.Add($"no ConfigMap of {Folder} carries {Path.GetFileName(DashboardFile)}");
        }
        else if (Label(shipped.Metadata, "grafana_dashboard") != "1")
        {
            findings.Add($"ConfigMap {shipped.Metadata.Name} lacks the label grafana_dashboard: \"1\" the Grafana sidecar looks for");
        }

        return Outcome.FromFindings(findings,
            $"{DashboardFile}: uid {dashboard.Uid}, a data source variable, {dashboard.Queries.Count} queries in every panel with $__rate_interval; shipped in ConfigMap {shipped?.Metadata.Name} (grafana_dashboard: \"1\")");
    }

    /// <summary>The monitoring and logging stack: Applications of the platform project, chart versions pinned, metrics and logs both covered.</summary>
    public static Outcome StackPinned(BuildContext context)
    {
        var render = context.Renders.Render(Stack);
        if (!render.Succeeded)
        {
            return render.Failure;
        }

        var findings = new List<string>();
        var apps = render.Objects<Application>().ToList();
        foreach (var app in apps)
        {
            var source = app.Spec.Source;
            // Charts (which bring CRDs and cluster roles) in platform; configuration from git in the narrower monitoring-config.
            var project = source?.Chart is not null ? "platform" : "monitoring-config";
            if (app.Spec.Project != project)
            {
                findings.Add($"Application {app.Metadata.Name} is in project '{app.Spec.Project}': {(project == "platform" ? "a chart of the stack belongs to the platform project" : "configuration from git belongs to the monitoring-config project, which may deploy only ServiceMonitors, PrometheusRules and ConfigMaps")}");
            }

            if (source?.Chart is not null && !System.Text.RegularExpressions.Regex.IsMatch(source.TargetRevision ?? string.Empty, @"^v?\d+\.\d+\.\d+$"))
            {
                findings.Add($"Application {app.Metadata.Name}: chart {source.Chart} at '{source.TargetRevision}' is not pinned to one version");
            }
        }

        foreach (var (chart, why) in new[] { ("kube-prometheus-stack", "metrics, alerts and dashboards"), ("loki", "log storage"), ("alloy", "the log agent") })
        {
            if (!apps.Any(a => a.Spec.Source?.Chart == chart))
            {
                findings.Add($"{Stack} installs no {chart} ({why})");
            }
        }

        return Outcome.FromFindings(findings,
            $"{string.Join(", ", apps.Select(a => a.Spec.Source?.Chart is { } c ? $"{c} {a.Spec.Source.TargetRevision}" : a.Metadata.Name))}: charts pinned in the platform project, configuration from git in monitoring-config");
    }
}
