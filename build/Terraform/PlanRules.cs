using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Build.Core.Audit;

namespace Platform.Build.Terraform;

/// <summary>
/// The audit's rules over the Terraform plans of both environments: the
/// security review of <see cref="PlanPolicy"/> under rule ids, and the
/// account-level rules the review did not hold (flow logs on every VPC, the
/// default security group closed, KMS rotation, EBS encryption by default,
/// the API load balancer internal, prod deletion protection, log retention,
/// monitoring). A finding's object is "env: address"; its location is the
/// resource block in terraform/modules.
/// </summary>
public static partial class PlanRules
{
    private static Rule R(string id, string title, Severity severity, string fix, params string[] refs) => new(id, title, severity, AuditSource.Plan, fix, refs);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        R("TF-TAG-001", "Every taggable resource carries Environment, Cluster and ManagedBy", Severity.Low, "add the tags to the module's tags variable or the provider's default_tags"),
        R("TF-TAG-002", "Instances carry Name, Environment, Cluster, Role and ManagedBy", Severity.Low, "set the tags on the instance"),
        R("TF-TAG-003", "Launch templates tag the instances they launch", Severity.Low, "add a tag_specifications block for resource_type instance with every instance tag"),
        R("TF-TAG-004", "The worker group propagates the instance tags at launch", Severity.Low, "add a tag block with propagate_at_launch = true for each instance tag"),
        R("TF-NET-001", "Nothing is open to the internet but the ingress load balancer on 80 and 443", Severity.Critical, "take the CIDR source off the rule, or reference a security group", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "AVD-AWS-0107"),
        R("TF-NET-002", "No rule sends all traffic to the internet", Severity.High, "open tcp/80 and tcp/443 to the internet, one port a rule", "AVD-AWS-0104"),
        R("TF-NET-003", "Only tcp/80 and tcp/443 go to the internet", Severity.Medium, "remove the egress rule or narrow it to 80 or 443", "AVD-AWS-0104"),
        R("TF-NET-004", "No legacy security group rule is open to the internet", Severity.Critical, "use aws_vpc_security_group_ingress_rule without a world CIDR", "CKV_AWS_24", "AVD-AWS-0107"),
        R("TF-NET-005", "No inline ingress rule is open to the internet", Severity.Critical, "move the rule to aws_vpc_security_group_ingress_rule without a world CIDR", "CKV_AWS_24", "AVD-AWS-0107"),
        R("TF-NET-006", "No ingress rule allows all traffic", Severity.High, "open only the ports the cluster needs", "CKV_AWS_277"),
        R("TF-NET-007", "Every ingress port is one the cluster needs", Severity.High, "remove the rule, or add the port to the design (PlanPolicy.AllowedIngress and the security module's README)"),
        R("TF-NET-008", "Each cluster port is opened by the rule meant for it", Severity.High, "open the port on its own rule (etcd between control planes, NodePorts from the ingress load balancer)"),
        R("TF-NET-009", "Cluster ports take security groups, not CIDRs, as sources", Severity.High, "reference the nodes' security group instead of a CIDR"),
        R("TF-NET-010", "No legacy aws_security_group_rule", Severity.Medium, "use aws_vpc_security_group_ingress_rule / egress_rule", "CKV_AWS_23"),
        R("TF-EC2-001", "Launch templates require IMDSv2", Severity.High, "set metadata_options.http_tokens = \"required\"", "CKV_AWS_79", "AVD-AWS-0130"),
        R("TF-EC2-002", "The metadata hop limit is 1 (pods cannot reach the node's credentials)", Severity.High, "set metadata_options.http_put_response_hop_limit = 1"),
        R("TF-EC2-003", "Launch templates set the root volume", Severity.Medium, "add a block_device_mappings block with an encrypted gp3 volume"),
        R("TF-EC2-004", "Launch template volumes are encrypted", Severity.High, "set ebs.encrypted = true", "CKV_AWS_8", "AVD-AWS-0131"),
        R("TF-EC2-005", "Volumes are deleted with their instance", Severity.Low, "set ebs.delete_on_termination = true"),
        R("TF-EC2-006", "Launch templates give no public IP", Severity.High, "set network_interfaces.associate_public_ip_address = false", "CKV_AWS_88"),
        R("TF-EC2-007", "Instances have no public IP", Severity.High, "remove associate_public_ip_address; reach nodes through SSM or the bastion", "CKV_AWS_88", "AVD-AWS-0009"),
        R("TF-EC2-008", "Instances are launched from a template", Severity.Medium, "set launch_template so IMDSv2 and encryption come from the template"),
        R("TF-EC2-009", "No instance overrides the template's IMDSv2", Severity.High, "remove metadata_options from the instance, or set http_tokens = \"required\"", "CKV_AWS_79"),
        R("TF-EC2-010", "Instance volumes are encrypted", Severity.High, "set encrypted = true on the root and EBS block devices", "CKV_AWS_8", "AVD-AWS-0131"),
        R("TF-EC2-011", "No launch configuration", Severity.Medium, "use a launch template"),
        R("TF-EC2-012", "Auto Scaling groups launch from a template", Severity.Medium, "set launch_template or mixed_instances_policy"),
        R("TF-EC2-013", "Launch templates turn on detailed monitoring", Severity.Low, "set monitoring { enabled = true }", "CKV_AWS_126"),
        R("TF-EC2-014", "Launch templates are EBS-optimized", Severity.Low, "set ebs_optimized = true", "CKV_AWS_135"),
        R("TF-EBS-001", "EBS encryption is on by default in the account and region", Severity.High, "add aws_ebs_encryption_by_default with enabled = true", "CKV_AWS_106", "AVD-AWS-0131"),
        R("TF-VPC-001", "Subnets hand out no public IPs", Severity.Medium, "set map_public_ip_on_launch = false", "CKV_AWS_130", "AVD-AWS-0164"),
        R("TF-VPC-002", "The default security group allows nothing", Severity.Medium, "manage aws_default_security_group with no ingress and no egress", "CKV2_AWS_12", "AVD-AWS-0173"),
        R("TF-FLOW-001", "Every VPC has flow logs", Severity.Medium, "add an aws_flow_log for the VPC", "CKV2_AWS_11", "AVD-AWS-0178"),
        R("TF-FLOW-002", "Flow logs are encrypted with a KMS key", Severity.Medium, "set kms_key_id on the log group", "CKV_AWS_158", "AVD-AWS-0017"),
        R("TF-LOG-001", "Log groups expire, after at least 90 days in prod", Severity.Low, "set retention_in_days (90 or more in prod)", "CKV_AWS_66", "CKV_AWS_338"),
        R("TF-KMS-001", "KMS keys rotate", Severity.Medium, "set enable_key_rotation = true", "CKV_AWS_7", "AVD-AWS-0065"),
        R("TF-KMS-002", "KMS keys wait at least 14 days before deletion", Severity.Low, "set deletion_window_in_days to 14 or more"),
        R("TF-LB-001", "The API load balancer is internal", Severity.Critical, "set internal = true on the API load balancer; administrators come through their networks"),
        R("TF-LB-002", "Prod load balancers are protected from deletion", Severity.Medium, "set enable_deletion_protection = true in prod", "CKV_AWS_150", "AVD-AWS-0053"),
        R("TF-IAM-001", "No administrator policy is attached", Severity.Critical, "attach a policy naming the actions the role needs", "CKV_AWS_274"),
        R("TF-IAM-002", "No trust policy lets any principal assume a role", Severity.Critical, "name the service or account in the trust policy's Principal"),
        R("TF-IAM-003", "No NotAction or NotResource in an Allow", Severity.High, "list the actions and resources allowed", "CKV_AWS_289"),
        R("TF-IAM-004", "No policy statement names any principal", Severity.Critical, "name the principals"),
        R("TF-IAM-005", "No policy allows every action", Severity.Critical, "list the actions", "CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_286"),
        R("TF-IAM-006", "No wildcard action grants writes", Severity.High, "name the write actions", "CKV_AWS_287"),
        R("TF-IAM-007", "No write action on every resource", Severity.High, "scope the resources of write actions", "CKV_AWS_290", "CKV_AWS_355"),
        R("TF-IAM-008", "Service roles trust the service only on this account's behalf", Severity.Medium, "add an aws:SourceAccount condition to the trust policy"),
    ];

    /// <summary>The rule set over the given plans, by environment.</summary>
    public static RuleSet For(IReadOnlyList<(string Environment, PlanDocument Plan)> plans, SourceIndex sources) =>
        new("terraform", Rules, () => plans.SelectMany(p => Check(p.Plan, p.Environment).Select(f =>
            new Finding(f.Rule, $"{p.Environment}: {f.Address}", f.Problem, Locate(sources, f.Address)))));

    /// <summary>Every finding of one plan.</summary>
    public static IEnumerable<PlanFinding> Check(PlanDocument plan, string environment) => [.. PlanPolicy.All(plan), .. Account(plan, environment)];

    /// <summary>The rules beyond the security review.</summary>
    public static IEnumerable<PlanFinding> Account(PlanDocument plan, string environment)
    {
        foreach (var vpc in plan.OfType("aws_vpc"))
        {
            // The VPC id is unknown until apply: a flow log in the same module with an unknown vpc_id counts.
            if (!plan.OfType("aws_flow_log").Any(f => f.Address.StartsWith(Module(vpc.Address), StringComparison.Ordinal)))
            {
                yield return new("TF-FLOW-001", vpc.Address, "has no flow log");
            }
        }

        foreach (var group in plan.OfType("aws_default_security_group"))
        {
            if (group.Blocks("ingress").Any() || group.Blocks("egress").Any())
            {
                yield return new("TF-VPC-002", group.Address, "the default security group has rules: anything put in it would be reachable");
            }
        }

        if (plan.OfType("aws_vpc").Any() && !plan.OfType("aws_ebs_encryption_by_default").Any(e => e.Property("enabled") is not { ValueKind: JsonValueKind.False }))
        {
            yield return new("TF-EBS-001", plan.OfType("aws_vpc").First().Address, "the account's EBS encryption by default is not turned on");
        }

        foreach (var key in plan.OfType("aws_kms_key"))
        {
            if (key.Property("enable_key_rotation") is not { ValueKind: JsonValueKind.True })
            {
                yield return new("TF-KMS-001", key.Address, "does not rotate (enable_key_rotation)");
            }

            if (key.Property("deletion_window_in_days") is { ValueKind: JsonValueKind.Number } window && window.GetInt32() < 14)
            {
                yield return new("TF-KMS-002", key.Address, $"is deleted {window.GetInt32()} days after it is scheduled: too short to notice a mistake");
            }
        }

        foreach (var group in plan.OfType("aws_cloudwatch_log_group"))
        {
            var days = group.Property("retention_in_days") is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : 0;
            if (days == 0 || (environment == "prod" && days < 90))
            {
                yield return new("TF-LOG-001", group.Address, days == 0 ? "keeps its logs forever (retention_in_days)" : $"keeps its logs {days} days: prod keeps them 90 or more");
            }
        }

        foreach (var balancer in plan.OfType("aws_lb"))
        {
            if (balancer.Name == "api" && balancer.Property("internal") is not { ValueKind: JsonValueKind.True })
            {
                yield return new("TF-LB-001", balancer.Address, "the Kubernetes API load balancer is internet-facing");
            }

            if (environment == "prod" && balancer.Property("enable_deletion_protection") is not { ValueKind: JsonValueKind.True })
            {
                yield return new("TF-LB-002", balancer.Address, "can be deleted by one apply (enable_deletion_protection)");
            }
        }

        foreach (var template in plan.OfType("aws_launch_template"))
        {
            if (!template.Blocks("monitoring").Any(m => m.TryGetProperty("enabled", out var on) && on.ValueKind == JsonValueKind.True))
            {
                yield return new("TF-EC2-013", template.Address, "detailed monitoring is off");
            }

            if (template.String("ebs_optimized") is not "true")
            {
                yield return new("TF-EC2-014", template.Address, "is not EBS-optimized");
            }
        }
    }

    /// <summary>
    /// The resource block of an address in terraform/modules: module.a.module.b.type.name["key"] is
    /// `resource "type" "name"` in modules/b (data sources likewise); the environment's main.tf otherwise.
    /// </summary>
    public static SourceLocation? Locate(SourceIndex sources, string address)
    {
        var match = AddressParts().Match(address);
        if (!match.Success)
        {
            return null;
        }

        var module = match.Groups["module"].Success ? match.Groups["module"].Captures[^1].Value : "platform";
        var kind = match.Groups["data"].Success ? "data" : "resource";
        var block = $"{kind} \"{match.Groups["type"].Value}\" \"{match.Groups["name"].Value}\"";
        return sources.Find($"terraform/modules/{module}", ".tf", line => line.StartsWith(block, StringComparison.Ordinal))
            ?? sources.Find("terraform/modules", ".tf", line => line.StartsWith(block, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^(?:module\.(?<module>[a-z0-9_-]+)\.)*(?<data>data\.)?(?<type>[a-z0-9_]+)\.(?<name>[a-z0-9_-]+)")]
    private static partial Regex AddressParts();

    private static string Module(string address) => address.Contains('.') && address.StartsWith("module.", StringComparison.Ordinal)
        ? address[..(ModuleEnd().Match(address) is { Success: true } m ? m.Index + m.Length : 0)]
        : string.Empty;

    [GeneratedRegex(@"^(module\.[^.]+\.)+")]
    private static partial Regex ModuleEnd();
}
