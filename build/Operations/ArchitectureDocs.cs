using System.Globalization;
using System.Text;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Tenancy;
using Platform.Build.Terraform;
using YamlDotNet.RepresentationModel;

namespace Platform.Build.Operations;

/// <summary>
/// The README's architecture section: Mermaid diagrams and tables of the AWS
/// network and its security groups, the cluster, the GitOps flow and the
/// tenancy, rendered from the offline plans, the Argo CD Applications and the
/// tenant catalog. One renderer: the ArchitectureDocs target writes it, and
/// ProductionReadiness fails when the README's copy differs (a diagram drawn
/// by hand goes stale the day a subnet or a tenant changes).
/// </summary>
public static class ArchitectureDocs
{
    public const string Begin = "<!-- architecture:begin (written by ./build.sh --target=ArchitectureDocs from the offline plans, the Applications and the tenant catalog) -->";
    public const string End = "<!-- architecture:end -->";

    /// <summary>The section for these plans (dev and prod), applications and catalog.</summary>
    public static string Render(IReadOnlyList<OfflinePlan> plans, IReadOnlyList<(string Name, string Project, string Namespace, string Path)> applications, TenantCatalog catalog)
    {
        var text = new StringBuilder();
        var prod = plans.First(p => p.Environment == "prod").Plan!;
        Network(text, prod);
        Subnets(text, plans);
        SecurityGroups(text, plans);
        Cluster(text, plans);
        GitOps(text, catalog, applications);
        Tenancy(text, catalog);
        return text.ToString().TrimEnd() + "\n";
    }

    /// <summary>The README with its section replaced (or null when the markers are missing).</summary>
    public static string? Embed(string readme, string section)
    {
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : readme[..(begin + Begin.Length)] + "\n" + section + readme[end..];
    }

    /// <summary>The README's current section, or null.</summary>
    public static string? Current(string readme)
    {
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : readme[(begin + Begin.Length + 1)..end];
    }

    /// <summary>Where the Argo CD Applications are: the tenants' and the monitoring stack's.</summary>
    public static readonly IReadOnlyList<string> ApplicationFolders = ["kubernetes/argocd/applications", "kubernetes/monitoring/stack"];

    /// <summary>The Applications of <see cref="ApplicationFolders"/>: name, project, destination namespace, source path (or chart).</summary>
    public static IReadOnlyList<(string Name, string Project, string Namespace, string Path)> Applications(BuildContext context)
    {
        var found = new List<(string, string, string, string)>();
        foreach (var file in ApplicationFolders.Select(context.Paths.Combine).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.yaml").Order(StringComparer.Ordinal)))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            foreach (var document in stream.Documents)
            {
                if (document.RootNode is YamlMappingNode root && YamlPath.Scalar(root, "kind") == "Application")
                {
                    found.Add((
                        (YamlPath.At(root, "metadata", "name") as YamlScalarNode)?.Value ?? "?",
                        (YamlPath.At(root, "spec", "project") as YamlScalarNode)?.Value ?? "?",
                        (YamlPath.At(root, "spec", "destination", "namespace") as YamlScalarNode)?.Value ?? "?",
                        (YamlPath.At(root, "spec", "source", "path") as YamlScalarNode)?.Value
                            ?? (YamlPath.At(root, "spec", "source", "chart") as YamlScalarNode)?.Value
                            ?? (YamlPath.At(root, "spec", "sources") is YamlSequenceNode { Children.Count: > 0 } sources && sources[0] is YamlMappingNode first ? YamlPath.Scalar(first, "chart") ?? YamlPath.Scalar(first, "path") : null)
                            ?? "?"));
                }
            }
        }

        return found;
    }

    private static void Network(StringBuilder text, PlanDocument plan)
    {
        var vpc = plan.OfType("aws_vpc").First().String("cidr_block");
        var subnets = Subnets(plan);
        var nats = plan.OfType("aws_nat_gateway").Count();
        text.AppendLine("### AWS network (the prod plan)").AppendLine();
        text.AppendLine("```mermaid").AppendLine("flowchart TB");
        text.AppendLine("  internet((Internet)) --> igw[Internet gateway]");
        text.AppendLine($"  subgraph vpc[\"VPC {vpc}\"]");
        foreach (var zone in subnets.Select(s => s.Zone).Distinct())
        {
            var id = Id(zone);
            text.AppendLine($"    subgraph {id}[\"{zone}\"]");
            foreach (var subnet in subnets.Where(s => s.Zone == zone))
            {
                text.AppendLine($"      {id}_{subnet.Tier}[\"{subnet.Tier} {subnet.Cidr}\"]");
            }

            text.AppendLine("    end");
        }

        text.AppendLine("  end");
        foreach (var lb in plan.OfType("aws_lb"))
        {
            var internalLb = lb.Property("internal")?.GetBoolean() == true;
            var name = $"{lb.Name} {lb.String("load_balancer_type")} load balancer ({(internalLb ? "internal" : "internet-facing")})";
            text.AppendLine($"  lb_{Id(lb.Name)}[\"{name}\"]");
            text.AppendLine(internalLb ? $"  lb_{Id(lb.Name)} --> control_planes" : $"  igw --> lb_{Id(lb.Name)} --> workers");
        }

        text.AppendLine($"  igw --- nat[\"{nats} NAT gateway{(nats == 1 ? string.Empty : "s")} in the public subnets\"]");
        text.AppendLine("  nat --- control_planes[Control planes] & workers[Workers]");
        text.AppendLine("```").AppendLine();
    }

    private static void Subnets(StringBuilder text, IReadOnlyList<OfflinePlan> plans)
    {
        text.AppendLine("| environment | tier | zone | CIDR |").AppendLine("|---|---|---|---|");
        foreach (var plan in plans)
        {
            foreach (var subnet in Subnets(plan.Plan!))
            {
                text.AppendLine($"| {plan.Environment} | {subnet.Tier} | {subnet.Zone} | {subnet.Cidr} |");
            }
        }

        text.AppendLine();
    }

    private static void SecurityGroups(StringBuilder text, IReadOnlyList<OfflinePlan> plans)
    {
        var rows = plans
            .SelectMany(p => p.Plan!.OfType("aws_vpc_security_group_ingress_rule").Select(r => (Env: p.Environment, Direction: "in", Rule: r))
                .Concat(p.Plan!.OfType("aws_vpc_security_group_egress_rule").Select(r => (Env: p.Environment, Direction: "out", Rule: r))))
            .Select(r => (r.Env, Row: $"| {r.Direction} | {TerraformChecks.PortSpec(r.Rule)} | {r.Rule.String("cidr_ipv4") ?? r.Rule.String("cidr_ipv6") ?? "a security group"} | {r.Rule.String("description")} |"))
            .GroupBy(r => r.Row)
            .Select(g => $"{g.Key[..^1]}| {string.Join(", ", g.Select(r => r.Env).Distinct())} |")
            .Order(StringComparer.Ordinal)
            .ToList();
        text.AppendLine("Security group rules (every rule of both plans; the security module's README says why each exists):").AppendLine();
        text.AppendLine("| direction | port | peer | why | environments |").AppendLine("|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(row);
        }

        text.AppendLine();
    }

    private static void Cluster(StringBuilder text, IReadOnlyList<OfflinePlan> plans)
    {
        text.AppendLine("### The cluster").AppendLine();
        text.AppendLine("```mermaid").AppendLine("flowchart LR");
        foreach (var plan in plans)
        {
            var env = plan.Environment;
            var controlPlanes = plan.Plan!.OfType("aws_instance").ToList();
            var group = plan.Plan.OfType("aws_autoscaling_group").First();
            var workerType = plan.Plan.OfType("aws_launch_template").FirstOrDefault(t => t.Address.Contains("worker", StringComparison.Ordinal))?.String("instance_type") ?? "?";
            var controlType = controlPlanes.FirstOrDefault()?.String("instance_type")
                ?? plan.Plan.OfType("aws_launch_template").FirstOrDefault(t => t.Address.Contains("control", StringComparison.Ordinal))?.String("instance_type") ?? "?";
            var backup = plan.Plan.OfType("aws_s3_bucket").Any(b => b.Address.Contains("backup", StringComparison.Ordinal));
            text.AppendLine($"  subgraph {env}[\"{env}\"]");
            text.AppendLine($"    {env}_cp[\"{controlPlanes.Count} control plane{(controlPlanes.Count == 1 ? string.Empty : "s")} ({controlType})<br/>kubeadm, stacked etcd\"]");
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"    {env}_workers[\"workers {group.Property("min_size")}-{group.Property("max_size")} ({workerType})<br/>autoscaling group\"]"));
            text.AppendLine($"    {env}_cilium[\"Cilium (kube-proxy replacement)\"]");
            text.AppendLine($"    {env}_cp --- {env}_cilium --- {env}_workers");
            if (backup)
            {
                text.AppendLine($"    {env}_cp -->|etcd snapshot every 15 min| {env}_backup[(\"S3 etcd backups, SSE-KMS\")]");
            }

            text.AppendLine("  end");
        }

        text.AppendLine("```").AppendLine();
    }

    private static void GitOps(StringBuilder text, TenantCatalog catalog, IReadOnlyList<(string Name, string Project, string Namespace, string Path)> applications)
    {
        text.AppendLine("### GitOps").AppendLine();
        text.AppendLine("```mermaid").AppendLine("flowchart LR");
        text.AppendLine($"  git[(\"{catalog.Platform.RepoUrl}\")] --> argocd[Argo CD]");
        foreach (var project in applications.Select(a => a.Project).Concat(catalog.Organizations.Select(o => o.Name)).Distinct())
        {
            text.AppendLine($"  argocd --> project_{Id(project)}{{{{\"AppProject {project}\"}}}}");
        }

        foreach (var app in applications)
        {
            text.AppendLine($"  project_{Id(app.Project)} --> app_{Id(app.Name)}[\"{app.Name}<br/>{app.Path}\"] --> ns_{Id(app.Namespace)}[/\"{app.Namespace}\"/]");
        }

        text.AppendLine("```").AppendLine();
    }

    private static void Tenancy(StringBuilder text, TenantCatalog catalog)
    {
        text.AppendLine("### Tenancy (kubernetes/tenants/tenants.yaml)").AppendLine();
        text.AppendLine("```mermaid").AppendLine("flowchart TB");
        foreach (var org in catalog.Organizations)
        {
            text.AppendLine($"  subgraph {Id(org.Name)}[\"{org.Name}: admins {org.AdminsGroup}, developers {org.DevelopersGroup}\"]");
            foreach (var environment in org.Environments)
            {
                text.AppendLine($"    {Id(org.NamespaceOf(environment))}[\"{org.NamespaceOf(environment)}<br/>{environment.Cluster} cluster, {environment.Size.Name} quota\"]");
            }

            text.AppendLine("  end");
        }

        text.AppendLine("```").AppendLine();
        text.AppendLine("| namespace | cluster | size | requests CPU / memory | limits CPU / memory | pods |").AppendLine("|---|---|---|---|---|---|");
        foreach (var org in catalog.Organizations)
        {
            foreach (var environment in org.Environments)
            {
                var quota = environment.Size.Quota;
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {org.NamespaceOf(environment)} | {environment.Cluster} | {environment.Size.Name} | {quota.RequestsCpu} / {quota.RequestsMemory} | {quota.LimitsCpu} / {quota.LimitsMemory} | {quota.Pods} |"));
            }
        }

        text.AppendLine();
    }

    private static List<(string Tier, string Zone, string Cidr)> Subnets(PlanDocument plan) =>
        [.. plan.OfType("aws_subnet")
            .Select(s => (Tier: s.Address.Contains(".public[", StringComparison.Ordinal) ? "public" : "private", Zone: s.String("availability_zone") ?? "?", Cidr: s.String("cidr_block") ?? "?"))
            .OrderBy(s => s.Zone, StringComparer.Ordinal).ThenBy(s => s.Tier, StringComparer.Ordinal)];

    private static string Id(string text) => new([.. text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
