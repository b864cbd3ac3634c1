using System.Text.Json;

namespace Platform.Build.Terraform;

/// <summary>One plan rule broken by one resource: the audit rule id (PlanRules), the address, and the problem with its fix.</summary>
public sealed record PlanFinding(string Rule, string Address, string Problem)
{
    public string Text => ToString();

    public override string ToString() => $"{Address}: {Problem}";
}

/// <summary>
/// The security review, run on every plan: tags, no world-open ports beyond
/// the public load balancer's 80/443, only the ports the cluster needs, IMDSv2
/// and encrypted volumes, no public IPs, least-privilege IAM. Each rule returns
/// findings naming the resource address; none means the rule holds.
/// </summary>
public static class PlanPolicy
{
    public static readonly string[] RequiredTags = ["Environment", "Cluster", "ManagedBy"];
    public static readonly string[] InstanceTags = ["Name", "Environment", "Cluster", "Role", "ManagedBy"];

    /// <summary>
    /// The ingress the cluster's design needs, by rule resource of the security
    /// module: the port, and whether a CIDR (rather than a security group) may
    /// be the source. Anything else - another port, or a port on another rule
    /// (etcd for the workers, NodePorts from the nodes) - is a finding.
    /// </summary>
    private static readonly (string Protocol, int From, int To, string[] Rules, string[] CidrRules, string Why)[] AllowedIngress =
    [
        ("tcp", 6443, 6443, ["api", "api_lb_from_nodes", "api_lb_from_admins"], ["api_lb_from_admins"], "Kubernetes API"),
        ("tcp", 2379, 2380, ["etcd"], [], "etcd"),
        ("tcp", 10250, 10250, ["node"], [], "kubelet"),
        ("udp", 8472, 8472, ["node"], [], "Cilium VXLAN"),
        ("tcp", 4240, 4240, ["node"], [], "Cilium health"),
        ("tcp", 4244, 4244, ["node"], [], "Hubble"),
        ("icmp", 8, 0, ["node"], [], "ICMP echo"),
        ("tcp", 22, 22, ["ssh"], ["ssh"], "SSH from administrator networks"),
        ("tcp", 80, 80, ["ingress_lb"], ["ingress_lb"], "public ingress"),
        ("tcp", 443, 443, ["ingress_lb"], ["ingress_lb"], "public ingress"),
        ("tcp", 30000, 32767, ["node_ports"], [], "NodePorts"),
    ];

    private static readonly string[] AdminPolicies = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

    public static IReadOnlyList<PlanFinding> All(PlanDocument plan) =>
        [.. Tagging(plan), .. InstanceTagging(plan), .. WorldIngress(plan), .. Ports(plan), .. Instances(plan), .. Iam(plan), .. FlowLogs(plan)];

    /// <summary>
    /// VPC flow logs: their log group encrypted with a KMS key, and the role the
    /// flow-log service assumes trusting it only on this account's behalf
    /// (aws:SourceAccount: no confused deputy).
    /// </summary>
    public static IEnumerable<PlanFinding> FlowLogs(PlanDocument plan)
    {
        foreach (var group in plan.OfType("aws_cloudwatch_log_group").Where(g => g.String("name")?.StartsWith("/aws/vpc-flow-logs/", StringComparison.Ordinal) == true))
        {
            if (!group.WillBeSet("kms_key_id"))
            {
                yield return new("TF-FLOW-002", group.Address, $"the flow logs are not encrypted with a KMS key (kms_key_id)");
            }
        }

        foreach (var role in plan.OfType("aws_iam_role").Where(r => r.String("assume_role_policy")?.Contains("vpc-flow-logs.amazonaws.com", StringComparison.Ordinal) == true))
        {
            if (role.String("assume_role_policy")!.Contains("aws:SourceAccount", StringComparison.Ordinal) is false)
            {
                yield return new("TF-IAM-008", role.Address, $"the flow-log service may assume it for any account: add an aws:SourceAccount condition to its trust policy");
            }
        }
    }

    /// <summary>Every taggable resource carries Environment, Cluster and ManagedBy.</summary>
    public static IEnumerable<PlanFinding> Tagging(PlanDocument plan) =>
        from resource in plan.Resources
        where resource.Mode == "managed" && resource.HasTags
        let missing = RequiredTags.Where(t => !resource.Tags.ContainsKey(t)).ToList()
        where missing.Count > 0
        select new PlanFinding("TF-TAG-001", resource.Address, $"missing tags {string.Join(", ", missing)}");

    /// <summary>Instances (direct, from launch templates, from the Auto Scaling group) carry Name, Environment, Cluster, Role, ManagedBy.</summary>
    public static IEnumerable<PlanFinding> InstanceTagging(PlanDocument plan)
    {
        foreach (var instance in plan.OfType("aws_instance"))
        {
            foreach (var tag in InstanceTags.Where(t => !instance.Tags.ContainsKey(t)))
            {
                yield return new("TF-TAG-002", instance.Address, $"missing tag {tag}");
            }
        }

        foreach (var template in plan.OfType("aws_launch_template"))
        {
            var instanceTags = template.Blocks("tag_specifications")
                .FirstOrDefault(b => b.GetProperty("resource_type").GetString() == "instance");
            var keys = instanceTags.ValueKind == JsonValueKind.Object && instanceTags.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
                ? tags.EnumerateObject().Select(p => p.Name).ToHashSet()
                : [];
            foreach (var tag in InstanceTags.Where(t => !keys.Contains(t)))
            {
                yield return new("TF-TAG-003", template.Address, $"instances launched from it miss tag {tag}");
            }
        }

        foreach (var group in plan.OfType("aws_autoscaling_group"))
        {
            var propagated = group.Blocks("tag")
                .Where(t => t.GetProperty("propagate_at_launch").GetBoolean())
                .Select(t => t.GetProperty("key").GetString())
                .ToHashSet();
            foreach (var tag in InstanceTags.Where(t => !propagated.Contains(t)))
            {
                yield return new("TF-TAG-004", group.Address, $"instances miss tag {tag} (not propagated at launch)");
            }
        }
    }

    /// <summary>
    /// Nothing is open to the internet (0.0.0.0/0, ::/0, or any range wider
    /// than /8 or /16 for IPv6) except the public ingress load balancer on 80
    /// and 443; no rule sends all traffic to the internet; no legacy or inline
    /// rule opens anything to it.
    /// </summary>
    public static IEnumerable<PlanFinding> WorldIngress(PlanDocument plan)
    {
        foreach (var rule in plan.OfType("aws_vpc_security_group_ingress_rule"))
        {
            var cidr = rule.String("cidr_ipv4") ?? rule.String("cidr_ipv6");
            if (cidr is null || !IsWorld(cidr))
            {
                continue;
            }

            var port = Int(rule, "from_port");
            if (rule.Name != "ingress_lb" || port is not (80 or 443) || Int(rule, "to_port") != port)
            {
                yield return new("TF-NET-001", rule.Address, $"open to {cidr} on {Describe(rule)}; only the public ingress load balancer may be, on 80 and 443");
            }
        }

        // To the internet only single TCP ports 80 and 443: any protocol, any range or any other port is a finding.
        foreach (var rule in plan.OfType("aws_vpc_security_group_egress_rule"))
        {
            var cidr = rule.String("cidr_ipv4") ?? rule.String("cidr_ipv6");
            if (cidr is null || !IsWorld(cidr))
            {
                continue;
            }

            var protocol = rule.String("ip_protocol");
            var from = Int(rule, "from_port");
            if (protocol is "-1" or "all")
            {
                yield return new("TF-NET-002", rule.Address, $"sends all traffic to {cidr}; open the ports needed (80, 443) instead");
            }
            else if (protocol is not ("tcp" or "6") || from is not (80 or 443) || Int(rule, "to_port") != from)
            {
                yield return new("TF-NET-003", rule.Address, $"sends {Describe(rule)} to {cidr}; only tcp/80 and tcp/443 go to the internet, one port a rule");
            }
        }

        foreach (var rule in plan.OfType("aws_security_group_rule"))
        {
            if (rule.String("type") == "ingress" && Cidrs(rule.After).Any(IsWorld))
            {
                yield return new("TF-NET-004", rule.Address, $"a legacy security group rule open to the internet (use aws_vpc_security_group_ingress_rule, never world-open)");
            }
        }

        foreach (var group in plan.OfType("aws_security_group"))
        {
            if (group.Blocks("ingress").Any(inline => Cidrs(inline).Any(IsWorld)))
            {
                yield return new("TF-NET-005", group.Address, $"an inline ingress rule is open to the internet (and inline rules should not be used)");
            }
        }
    }

    /// <summary>0.0.0.0/0 and ::/0, and anything as wide as a large share of the internet.</summary>
    public static bool IsWorld(string cidr)
    {
        var parts = cidr.Split('/');
        return parts.Length == 2 && int.TryParse(parts[1], out var prefix) && prefix < (cidr.Contains(':') ? 16 : 8);
    }

    private static IEnumerable<string> Cidrs(JsonElement element) =>
        new[] { "cidr_blocks", "ipv6_cidr_blocks" }
            .Where(name => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
            .SelectMany(name => element.GetProperty(name).EnumerateArray().Select(c => c.GetString() ?? string.Empty));

    /// <summary>
    /// Every ingress rule opens a port the cluster needs, on the rule meant for
    /// it (etcd only between control-plane nodes, NodePorts only from the
    /// ingress load balancer, ...), and takes a CIDR source only where an
    /// administrator network or the public may come from.
    /// </summary>
    public static IEnumerable<PlanFinding> Ports(PlanDocument plan)
    {
        foreach (var rule in plan.OfType("aws_vpc_security_group_ingress_rule"))
        {
            var protocol = rule.String("ip_protocol");
            var from = Int(rule, "from_port");
            var to = Int(rule, "to_port");
            var fromCidr = rule.String("cidr_ipv4") is not null || rule.String("cidr_ipv6") is not null;
            if (protocol is "-1" or "all")
            {
                yield return new("TF-NET-006", rule.Address, $"allows all traffic in; open only the ports the cluster needs");
                continue;
            }

            var allowed = AllowedIngress.FirstOrDefault(a => a.Protocol == protocol && a.From == from && a.To == to);
            if (allowed.Why is null)
            {
                yield return new("TF-NET-007", rule.Address, $"{Describe(rule)} is not a port the cluster needs");
            }
            else if (!allowed.Rules.Contains(rule.Name))
            {
                yield return new("TF-NET-008", rule.Address, $"{allowed.Why} ({Describe(rule)}) is opened by '{rule.Name}', not by the rules meant for it ({string.Join(", ", allowed.Rules)})");
            }
            else if (fromCidr && !allowed.CidrRules.Contains(rule.Name))
            {
                yield return new("TF-NET-009", rule.Address, $"{allowed.Why} ({Describe(rule)}) is open to a CIDR; it is for cluster nodes only (reference their security group)");
            }
        }

        foreach (var rule in plan.OfType("aws_security_group_rule").Where(r => r.String("type") == "ingress"))
        {
            yield return new("TF-NET-010", rule.Address, $"a legacy aws_security_group_rule; use aws_vpc_security_group_ingress_rule so every rule is checked the same way");
        }
    }

    /// <summary>IMDSv2 with hop limit 1, encrypted gp3 root volumes deleted with the instance, no public IPs.</summary>
    public static IEnumerable<PlanFinding> Instances(PlanDocument plan)
    {
        foreach (var template in plan.OfType("aws_launch_template"))
        {
            var metadata = template.Blocks("metadata_options").FirstOrDefault();
            if (metadata.ValueKind != JsonValueKind.Object || Text(metadata, "http_tokens") != "required")
            {
                yield return new("TF-EC2-001", template.Address, $"IMDSv2 is not required (metadata_options.http_tokens must be \"required\")");
            }
            else if (metadata.TryGetProperty("http_put_response_hop_limit", out var hops) && hops.ValueKind == JsonValueKind.Number && hops.GetInt32() > 1)
            {
                yield return new("TF-EC2-002", template.Address, $"metadata hop limit {hops.GetInt32()} lets pods reach the node's credentials; use 1");
            }

            var devices = template.Blocks("block_device_mappings").ToList();
            if (devices.Count == 0)
            {
                yield return new("TF-EC2-003", template.Address, $"no root volume settings (encryption cannot be checked)");
            }

            foreach (var ebs in devices.SelectMany(d => d.TryGetProperty("ebs", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : []))
            {
                if (Text(ebs, "encrypted") != "true")
                {
                    yield return new("TF-EC2-004", template.Address, $"a volume is not encrypted");
                }

                if (Text(ebs, "delete_on_termination") != "true")
                {
                    yield return new("TF-EC2-005", template.Address, $"a volume outlives its instance (delete_on_termination)");
                }
            }

            foreach (var nic in template.Blocks("network_interfaces").Where(n => Text(n, "associate_public_ip_address") == "true"))
            {
                yield return new("TF-EC2-006", template.Address, $"instances get a public IP");
            }
        }

        foreach (var instance in plan.OfType("aws_instance"))
        {
            if (instance.Property("associate_public_ip_address") is { ValueKind: JsonValueKind.True })
            {
                yield return new("TF-EC2-007", instance.Address, $"has a public IP");
            }

            if (instance.Blocks("launch_template").FirstOrDefault().ValueKind != JsonValueKind.Object)
            {
                yield return new("TF-EC2-008", instance.Address, $"not launched from a template (IMDSv2 and encryption are set there)");
            }

            // Instance-level settings override the template's.
            if (instance.Blocks("metadata_options").FirstOrDefault() is { ValueKind: JsonValueKind.Object } metadata
                && Text(metadata, "http_tokens") is { } tokens && tokens != "required")
            {
                yield return new("TF-EC2-009", instance.Address, $"metadata_options.http_tokens = \"{tokens}\" overrides the template's IMDSv2");
            }

            foreach (var volume in instance.Blocks("root_block_device").Concat(instance.Blocks("ebs_block_device")).Where(v => Text(v, "encrypted") == "false"))
            {
                yield return new("TF-EC2-010", instance.Address, $"a volume is not encrypted");
            }
        }

        foreach (var group in plan.OfType("aws_autoscaling_group"))
        {
            if (group.String("launch_configuration") is { Length: > 0 })
            {
                yield return new("TF-EC2-011", group.Address, $"uses a launch configuration; use a launch template (IMDSv2, encryption are checked there)");
            }
            else if (group.Blocks("launch_template").FirstOrDefault().ValueKind != JsonValueKind.Object && group.Blocks("mixed_instances_policy").FirstOrDefault().ValueKind != JsonValueKind.Object)
            {
                yield return new("TF-EC2-012", group.Address, $"no launch template");
            }
        }

        foreach (var subnet in plan.OfType("aws_subnet").Where(s => s.Property("map_public_ip_on_launch") is { ValueKind: JsonValueKind.True }))
        {
            yield return new("TF-VPC-001", subnet.Address, $"hands out public IPs (map_public_ip_on_launch)");
        }
    }

    /// <summary>No administrator policies, no wildcard actions, no wildcard resources on writes.</summary>
    public static IEnumerable<PlanFinding> Iam(PlanDocument plan)
    {
        foreach (var attachment in plan.Resources.Where(r => r.Type is "aws_iam_role_policy_attachment" or "aws_iam_policy_attachment" or "aws_iam_user_policy_attachment"))
        {
            var arn = attachment.String("policy_arn") ?? string.Empty;
            if (AdminPolicies.Any(p => arn.EndsWith("/" + p, StringComparison.Ordinal)))
            {
                yield return new("TF-IAM-001", attachment.Address, $"attaches {arn}");
            }
        }

        foreach (var policy in plan.Resources.Where(r => r.Type is "aws_iam_role_policy" or "aws_iam_policy"))
        {
            if (policy.String("policy") is { } json)
            {
                foreach (var finding in Statements(json, policy.Address))
                {
                    yield return finding;
                }
            }
        }

        foreach (var role in plan.OfType("aws_iam_role"))
        {
            if (role.String("assume_role_policy") is { } trust && TrustsAnyone(trust))
            {
                yield return new("TF-IAM-002", role.Address, $"its trust policy lets any principal (*) assume it");
            }
        }

        // Policy documents built by data sources are often unknown until apply: check their configuration.
        foreach (var (address, statement) in ConfiguredStatements(plan))
        {
            if (statement.TryGetProperty("not_actions", out _) || statement.TryGetProperty("not_resources", out _))
            {
                yield return new("TF-IAM-003", address, $"a statement with not_actions/not_resources allows everything else");
            }

            if (statement.TryGetProperty("principals", out var principals) && principals.ValueKind == JsonValueKind.Array
                && principals.EnumerateArray().Any(p => Constants(p, "identifiers").Contains("*")))
            {
                yield return new("TF-IAM-004", address, $"a statement names any principal (*)");
            }

            foreach (var finding in Judge(address, Constants(statement, "actions"), Constants(statement, "resources")))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<PlanFinding> Statements(string json, string address)
    {
        using var document = JsonDocument.Parse(json);
        var statements = document.RootElement.GetProperty("Statement");
        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? [.. statements.EnumerateArray()] : new[] { statements })
        {
            if (Text(statement, "Effect") != "Allow")
            {
                continue;
            }

            if (statement.TryGetProperty("NotAction", out _) || statement.TryGetProperty("NotResource", out _))
            {
                yield return new("TF-IAM-003", address, $"a statement with NotAction/NotResource allows everything else");
            }

            foreach (var finding in Judge(address, Strings(statement, "Action"), Strings(statement, "Resource")))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<PlanFinding> Judge(string address, IReadOnlyList<string> actions, IReadOnlyList<string> resources)
    {
        foreach (var action in actions.Where(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal)))
        {
            yield return new("TF-IAM-005", address, $"allows every action ({action})");
        }

        foreach (var action in actions.Where(a => a.Contains('*') && a != "*" && !a.EndsWith(":*", StringComparison.Ordinal) && !IsRead(a)))
        {
            yield return new("TF-IAM-006", address, $"a wildcard action ({action}) grants more than it names");
        }

        var writes = actions.Where(a => !IsRead(a)).ToList();
        if (resources.Contains("*") && writes.Count > 0)
        {
            yield return new("TF-IAM-007", address, $"allows {string.Join(", ", writes)} on every resource (*)");
        }
    }

    private static bool TrustsAnyone(string json)
    {
        using var document = JsonDocument.Parse(json);
        var statements = document.RootElement.GetProperty("Statement");
        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? [.. statements.EnumerateArray()] : new[] { statements })
        {
            if (Text(statement, "Effect") == "Allow" && statement.TryGetProperty("Principal", out var principal)
                && (principal.ValueKind == JsonValueKind.String && principal.GetString() == "*"
                    || principal.ValueKind == JsonValueKind.Object && principal.EnumerateObject().Any(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() == "*" : p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().Any(v => v.GetString() == "*"))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRead(string action)
    {
        var verb = action.Contains(':') ? action[(action.IndexOf(':') + 1)..] : action;
        return verb.StartsWith("Get", StringComparison.Ordinal) || verb.StartsWith("List", StringComparison.Ordinal)
            || verb.StartsWith("Describe", StringComparison.Ordinal) || action == "sts:AssumeRole";
    }

    /// <summary>Statement blocks of every aws_iam_policy_document in the configuration, with the data source's address.</summary>
    private static IEnumerable<(string Address, JsonElement Statement)> ConfiguredStatements(PlanDocument plan)
    {
        if (!plan.Json.RootElement.TryGetProperty("configuration", out var configuration))
        {
            yield break;
        }

        var pending = new Stack<(string Prefix, JsonElement Module)>([(string.Empty, configuration.GetProperty("root_module"))]);
        while (pending.TryPop(out var next))
        {
            if (next.Module.TryGetProperty("resources", out var resources))
            {
                foreach (var resource in resources.EnumerateArray().Where(r => r.GetProperty("type").GetString() == "aws_iam_policy_document"))
                {
                    if (resource.GetProperty("expressions").TryGetProperty("statement", out var statements))
                    {
                        foreach (var statement in statements.EnumerateArray())
                        {
                            yield return ($"{next.Prefix}{resource.GetProperty("address").GetString()}", statement);
                        }
                    }
                }
            }

            if (next.Module.TryGetProperty("module_calls", out var calls))
            {
                foreach (var call in calls.EnumerateObject())
                {
                    pending.Push(($"{next.Prefix}module.{call.Name}.", call.Value.GetProperty("module")));
                }
            }
        }
    }

    private static IReadOnlyList<string> Constants(JsonElement statement, string name) =>
        statement.TryGetProperty(name, out var expression) && expression.TryGetProperty("constant_value", out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.GetString() ?? string.Empty)]
            : [];

    private static IReadOnlyList<string> Strings(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString() ?? string.Empty)]
        : [value.GetString() ?? string.Empty];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : null;

    private static int? Int(PlannedResource resource, string name) =>
        resource.Property(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;

    private static string Describe(PlannedResource rule) =>
        rule.String("ip_protocol") == "icmp" ? "ICMP" : $"{rule.String("ip_protocol")}/{Int(rule, "from_port")}{(Int(rule, "to_port") != Int(rule, "from_port") ? $"-{Int(rule, "to_port")}" : string.Empty)}";
}
