using YamlDotNet.Serialization;
using k8s;
using k8s.Models;

namespace Platform.Build.Kubernetes.Manifests;

// Typed models of the Prometheus Operator kinds this repository ships
// (monitoring.coreos.com/v1), field names as the operator's types spell them.

/// <summary>What Prometheus scrapes: Services selected by labels, in the listed namespaces, on named ports.</summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "ServiceMonitor", PluralName = "servicemonitors")]
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "monitoring.coreos.com/v1";
    public string Kind { get; set; } = "ServiceMonitor";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    public string? JobLabel { get; set; }
    public List<string>? TargetLabels { get; set; }
    public List<string>? PodTargetLabels { get; set; }
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
    public V1LabelSelector Selector { get; set; } = new();
    public NamespaceSelector? NamespaceSelector { get; set; }
    public long? SampleLimit { get; set; }
    public long? TargetLimit { get; set; }
    public string? ScrapeProtocols { get; set; }
    public string? AttachMetadata { get; set; }
}

public sealed class NamespaceSelector
{
    public bool? Any { get; set; }
    public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    public string? Port { get; set; }
    public object? TargetPort { get; set; }
    public string? Path { get; set; }
    public string? Scheme { get; set; }
    public Dictionary<string, List<string>>? Params { get; set; }
    public string? Interval { get; set; }
    public string? ScrapeTimeout { get; set; }
    public object? TlsConfig { get; set; }
    public object? Authorization { get; set; }
    public bool? HonorLabels { get; set; }
    public bool? HonorTimestamps { get; set; }
    public bool? FollowRedirects { get; set; }
    public bool? EnableHttp2 { get; set; }
    public List<object>? MetricRelabelings { get; set; }
    public List<object>? Relabelings { get; set; }
}

/// <summary>Recording and alerting rules, as Prometheus rule groups.</summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "PrometheusRule", PluralName = "prometheusrules")]
public sealed class PrometheusRule : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "monitoring.coreos.com/v1";
    public string Kind { get; set; } = "PrometheusRule";
    public V1ObjectMeta Metadata { get; set; } = new();
    public PrometheusRuleSpec Spec { get; set; } = new();
}

public sealed class PrometheusRuleSpec
{
    public List<RuleGroup> Groups { get; set; } = [];
}

public sealed class RuleGroup
{
    public string Name { get; set; } = string.Empty;
    public Dictionary<string, string>? Labels { get; set; }
    public string? Interval { get; set; }
    [YamlMember(Alias = "query_offset", ApplyNamingConventions = false)]
    public string? QueryOffset { get; set; }
    public int? Limit { get; set; }
    [YamlMember(Alias = "partial_response_strategy", ApplyNamingConventions = false)]
    public string? PartialResponseStrategy { get; set; }
    public List<Rule> Rules { get; set; } = [];
}

public sealed class Rule
{
    public string? Record { get; set; }
    public string? Alert { get; set; }
    public string Expr { get; set; } = string.Empty;
    public string? For { get; set; }
    [YamlMember(Alias = "keep_firing_for", ApplyNamingConventions = false)]
    public string? KeepFiringFor { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}
