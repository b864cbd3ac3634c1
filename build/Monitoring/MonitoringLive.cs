using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tools;

using Platform.Build.Apps;

namespace Platform.Build.Monitoring;

/// <summary>Task 4.6 against a cluster: Prometheus scrapes the application, Loki has its logs, the dashboard's queries return data, a test alert fires.</summary>
public sealed class MonitoringLive(BuildContext context, TenantApplication app)
{
    public const string PrometheusProxy = "/api/v1/namespaces/monitoring/services/http:kube-prometheus-stack-prometheus:http-web/proxy";
    public const string LokiProxy = "/api/v1/namespaces/monitoring/services/http:loki-gateway:http-metrics/proxy";
    public const string MonitoringStack = "kubernetes/monitoring/stack";

    private string Env => context.Options.EnvironmentName;

    private string Namespace => app.Namespace(Env);

    private string Kubeconfig => context.Credentials.Kubeconfig ?? throw new InvalidOperationException("no kubeconfig");


    /// <summary>"Metrics being scraped": Prometheus has an up series for every pod of the application, and they are up.</summary>
    public Task<Outcome> Scraped()
    {
        var series = PromQuery($"up{{job=\"{app.Name}\", namespace=\"{Namespace}\"}}");
        if (series.Error is { } error)
        {
            return Task.FromResult(Outcome.Fail(error));
        }

        var down = series.Values.Count(v => v != "1");
        return Task.FromResult(series.Values.Count == 0
            ? Outcome.Fail($"Prometheus has no up{{job=\"{app.Name}\", namespace=\"{Namespace}\"}}: is the ServiceMonitor labelled release: kube-prometheus-stack and the metrics port open to monitoring?")
            : down > 0 ? Outcome.Fail($"{down} of {series.Values.Count} {app.Name} targets are down")
            : Outcome.Pass($"Prometheus scrapes {series.Values.Count} {app.Name} targets in {Namespace}, all up"));
    }

    /// <summary>"Logs centralized": Loki holds lines from the application's pods of the last 15 minutes.</summary>
    public Task<Outcome> LogsCentralized()
    {
        var query = Uri.EscapeDataString($"sum(count_over_time({{namespace=\"{Namespace}\", pod=~\"{app.Name}-.*\"}}[15m]))");
        var result = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{LokiProxy}/loki/api/v1/query?query={query}" });
        if (!result.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"Loki did not answer: {result.Tail(3)}"));
        }

        var lines = Values(result.Text).Values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : 0).Sum();
        return Task.FromResult(lines > 0
            ? Outcome.Pass($"Loki has {lines:0} log lines of {app.Name} in {Namespace} from the last 15 minutes")
            : Outcome.Fail($"Loki has no log line of {app.Name} in {Namespace} from the last 15 minutes: is Alloy running on every node?"));
    }

    /// <summary>"Metrics/logs flowing" (Task 4.5): both of the above.</summary>
    public async Task<Outcome> MetricsAndLogs() => Outcome.All(await Scraped().ConfigureAwait(false), await LogsCentralized().ConfigureAwait(false));

    /// <summary>Panels that must show data whenever the application runs: availability, traffic, latency.</summary>
    public static readonly IReadOnlyList<string> DataPanels = ["Replicas up", "Requests per second", "Latency"];

    /// <summary>"Dashboard shows data": every panel's queries run against Prometheus for --env's namespace, and the traffic and availability panels return data.</summary>
    public Task<Outcome> DashboardShowsData(Dashboard dashboard)
    {
        var empty = new List<string>();
        var failed = new List<string>();
        foreach (var (panel, expr) in dashboard.Queries)
        {
            var query = expr.Replace("$namespace", Namespace, StringComparison.Ordinal).Replace("$__rate_interval", "5m", StringComparison.Ordinal);
            var series = PromQuery(query);
            if (series.Error is { } error)
            {
                failed.Add($"{panel}: {error}");
            }
            else if (series.Values.Count == 0)
            {
                empty.Add(panel);
            }
        }

        // Errors and restarts may rightly be empty; availability and traffic may not (and a
        // renamed panel must not quietly drop out of what is required).
        var absent = DataPanels.Where(p => !dashboard.Queries.Any(q => q.Panel == p)).ToList();
        var mustShow = empty.Where(DataPanels.Contains).Distinct().ToList();
        return Task.FromResult(absent.Count > 0 ? Outcome.Fail($"{dashboard.File} has no panel {string.Join(", ", absent)}: keep them, or change ApplicationLive.DataPanels")
            : failed.Count > 0 ? Outcome.Fail($"queries that Prometheus refused: {string.Join("; ", failed)}")
            : mustShow.Count > 0 ? Outcome.Fail($"panels without data in {Namespace}: {string.Join(", ", mustShow)}")
            : Outcome.Pass($"{dashboard.Queries.Count} panel queries run for {Namespace}{(empty.Count > 0 ? $"; empty, as they may be: {string.Join(", ", empty)}" : string.Empty)}"));
    }

    /// <summary>"An alert fires in the cluster": a throwaway rule that always fires reaches Prometheus' firing alerts; it is deleted either way.</summary>
    public async Task<Outcome> AlertFires(TimeSpan timeout)
    {
        var client = context.Cluster;
        var name = $"platform-test-alert-{Guid.NewGuid().ToString("N")[..6]}";
        var rule = new PrometheusRule
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "monitoring", Labels = new Dictionary<string, string> { ["release"] = "kube-prometheus-stack" } },
            Spec = new PrometheusRuleSpec
            {
                Groups =
                [
                    new RuleGroup
                    {
                        Name = name,
                        Rules = [new Rule { Alert = "PlatformTestAlert", Expr = "vector(1)", Labels = new() { ["severity"] = "none", ["test"] = name },
                            Annotations = new() { ["summary"] = "The build's test alert", ["description"] = "Created and deleted by ./build.sh --target=ConfigureMonitoring", ["runbook_url"] = "https://github.com/example-org/platform/blob/main/kubernetes/monitoring/README.md" } }],
                    },
                ],
            },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(rule, "monitoring.coreos.com", "v1", "monitoring", "prometheusrules").ConfigureAwait(false);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var alerts = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{PrometheusProxy}/api/v1/alerts" });
                if (alerts.Succeeded && Firing(alerts.Text, name))
                {
                    return Outcome.Pass($"PlatformTestAlert ({name}) fired in Prometheus; rule deleted");
                }

                await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }

            return Outcome.Fail($"PlatformTestAlert did not fire within {timeout.TotalSeconds:0} s: does Prometheus select PrometheusRules labelled release: kube-prometheus-stack?");
        }
        finally
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync("monitoring.coreos.com", "v1", "monitoring", "prometheusrules", name).ConfigureAwait(false);
        }
    }

    /// <summary>Task 4.6's action: the monitoring stack's Applications (server-side apply); Argo CD installs the charts.</summary>
    public Task<Outcome> ApplyMonitoringStack()
    {
        var render = context.Renders.Render(MonitoringStack);
        if (!render.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"not applying {MonitoringStack}: {render.Error}"));
        }

        var result = context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Kustomize = context.Paths.Combine(MonitoringStack), StreamOutput = true });
        return Task.FromResult(result.Succeeded
            ? Outcome.Pass($"{MonitoringStack}: {string.Join(", ", render.Manifests.Select(m => m.Name))} applied (server-side); Argo CD installs them")
            : Outcome.Fail($"{MonitoringStack}: {result.Tail(5)}"));
    }

    /// <summary>Whether Prometheus' /api/v1/alerts lists the alert with label test=<paramref name="test"/> as firing (not just any firing alert, such as the Watchdog).</summary>
    public static bool Firing(string json, string test)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray().Any(a =>
                a.GetProperty("state").GetString() == "firing"
                && a.GetProperty("labels").TryGetProperty("test", out var label) && label.GetString() == test);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private (IReadOnlyList<string> Values, string? Error) PromQuery(string query)
    {
        var result = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{PrometheusProxy}/api/v1/query?query={Uri.EscapeDataString(query)}" });
        return result.Succeeded ? Values(result.Text) : ([], $"Prometheus did not answer: {result.Tail(3)}");
    }

    /// <summary>The sample values of a Prometheus (or Loki) instant-query answer.</summary>
    public static (IReadOnlyList<string> Values, string? Error) Values(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                return ([], root.TryGetProperty("error", out var e) ? e.GetString() : "query failed");
            }

            var result = root.GetProperty("data").GetProperty("result");
            return ([.. result.EnumerateArray().Select(r => r.GetProperty("value")[1].GetString() ?? string.Empty)], null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ([], $"not a query answer: {e.Message}");
        }
    }
}
