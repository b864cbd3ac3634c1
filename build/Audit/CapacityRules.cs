using System.Globalization;
using System.Text.Json;
using k8s.Models;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Audit;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Terraform;
using Rule = Platform.Build.Core.Audit.Rule;

namespace Platform.Build.Audit;

/// <summary>An instance size: vCPUs and memory.</summary>
public sealed record InstanceSize(decimal Cpu, decimal MemoryBytes);

/// <summary>The dated table of instance sizes and the platform's own reservations (audit/instance-types.yaml).</summary>
public sealed record CapacityTable(DateOnly Checked, IReadOnlyDictionary<string, InstanceSize> Types, InstanceSize PerNode, InstanceSize PerCluster, int MaxPodsPerNode)
{
    public const string File = "audit/instance-types.yaml";

    public static CapacityTable Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string S(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;
        InstanceSize Requests(YamlNode node) => new(new ResourceQuantity(S(node, "cpu")).ToDecimal(), new ResourceQuantity(S(node, "memory")).ToDecimal());
        var types = ((YamlMappingNode)root["types"]).Children.ToDictionary(
            t => ((YamlScalarNode)t.Key).Value!,
            t => new InstanceSize(decimal.Parse(S(t.Value, "vcpu"), CultureInfo.InvariantCulture), decimal.Parse(S(t.Value, "memoryGiB"), CultureInfo.InvariantCulture) * 1024 * 1024 * 1024));
        var reserved = root["reserved"];
        return new CapacityTable(DateOnly.ParseExact(S(root, "checked"), "yyyy-MM-dd", CultureInfo.InvariantCulture), types,
            Requests(((YamlMappingNode)reserved)["perNode"]), Requests(((YamlMappingNode)reserved)["perCluster"]), int.Parse(S(root, "maxPodsPerNode"), CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The audit's capacity rules: per cluster, the tenant quotas (their sum, as
/// rendered) against what the worker group's smallest size can give once the
/// platform has taken its share. A quota the nodes cannot honour is a promise
/// the scheduler breaks at the worst moment.
/// </summary>
public static class CapacityRules
{
    private static Rule R(string id, string title, Severity severity, string fix) => new(id, title, severity, AuditSource.Capacity, fix);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        R("CAP-001", "Tenant CPU request quotas fit the workers (minimum size, less the platform's share)", Severity.High, "raise the worker group's min or instance type, or lower the organizations' sizes"),
        R("CAP-002", "Tenant memory request quotas fit the workers", Severity.High, "raise the worker group's min or instance type, or lower the organizations' sizes"),
        R("CAP-003", "Tenant pod quotas fit the workers' pod slots", Severity.Medium, "raise the worker group's min, or lower the sizes' pod quotas"),
        R("CAP-004", "The worker instance type is in the capacity table", Severity.High, $"add the type to {CapacityTable.File}"),
        R("CAP-005", "The capacity table was checked within a year", Severity.Low, $"compare {CapacityTable.File} with the AWS instance type pages and update `checked`"),
    ];

    public static RuleSet For(CapacityTable table, IReadOnlyList<(string Cluster, PlanDocument Plan, IReadOnlyList<Manifest> Namespaces)> clusters, DateOnly today, SourceIndex sources) =>
        new("capacity", Rules, () => Check(table, clusters, today, sources));

    private static IEnumerable<Finding> Check(CapacityTable table, IReadOnlyList<(string Cluster, PlanDocument Plan, IReadOnlyList<Manifest> Namespaces)> clusters, DateOnly today, SourceIndex sources)
    {
        if (table.Checked.AddYears(1) < today || table.Checked > today)
        {
            yield return new Finding("CAP-005", CapacityTable.File, table.Checked > today ? $"says it was checked on {table.Checked:yyyy-MM-dd}, a day still to come" : $"was checked on {table.Checked:yyyy-MM-dd}, more than a year ago", sources.In(CapacityTable.File, "checked:"));
        }

        foreach (var (cluster, plan, namespaces) in clusters)
        {
            var where = sources.In($"terraform/environments/{cluster}/main.tf", "worker_instance_type");
            var template = plan.OfType("aws_launch_template").FirstOrDefault(t => t.Address.EndsWith("[\"worker\"]", StringComparison.Ordinal));
            var group = plan.OfType("aws_autoscaling_group").FirstOrDefault();
            var type = template?.String("instance_type") ?? "(none)";
            var nodes = group?.Property("min_size") is { ValueKind: JsonValueKind.Number } min ? min.GetInt32() : 0;
            if (!table.Types.TryGetValue(type, out var size))
            {
                yield return new Finding("CAP-004", $"{cluster}: workers", $"{type} is not in {CapacityTable.File}: the capacity cannot be checked", where);
                continue;
            }

            var quotas = namespaces.Select(m => m.Object).OfType<V1ResourceQuota>().Select(q => q.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>()).ToList();
            decimal Sum(string key) => quotas.Sum(h => h.TryGetValue(key, out var q) ? q.ToDecimal() : 0);
            var cpu = nodes * (size.Cpu - table.PerNode.Cpu) - table.PerCluster.Cpu;
            var memory = nodes * (size.MemoryBytes - table.PerNode.MemoryBytes) - table.PerCluster.MemoryBytes;
            var workers = $"{nodes} x {type}";
            if (Sum("requests.cpu") > cpu)
            {
                yield return new Finding("CAP-001", $"{cluster}: tenant quotas", $"ask for {Sum("requests.cpu"):0.##} vCPU of requests; {workers} leave {cpu:0.##} after the platform's share", where);
            }

            if (Sum("requests.memory") > memory)
            {
                yield return new Finding("CAP-002", $"{cluster}: tenant quotas", $"ask for {Gib(Sum("requests.memory"))} GiB of requests; {workers} leave {Gib(memory)} GiB after the platform's share", where);
            }

            if (Sum("pods") > nodes * table.MaxPodsPerNode)
            {
                yield return new Finding("CAP-003", $"{cluster}: tenant quotas", $"allow {Sum("pods"):0} pods; {workers} hold {nodes * table.MaxPodsPerNode}", where);
            }
        }
    }

    private static string Gib(decimal bytes) => (bytes / (1024m * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture);
}
