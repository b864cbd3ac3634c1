using System.Text.Json.Nodes;
using Xunit;
using Platform.Build.Terraform;

namespace Platform.Build.Tests.Terraform;

/// <summary>Each plan rule fails when the plan breaks it: the dev plan, changed in one place.</summary>
[Collection("terraform")]
public sealed class PlanPolicyTests(TerraformFixture fixture)
{
    private PlanDocument Mutate(Action<JsonNode> change)
    {
        var json = JsonNode.Parse(fixture.Plans["dev"])!;
        change(json);
        return PlanDocument.Parse(json.ToJsonString(), "mutated dev plan");
    }

    private static JsonNode After(JsonNode plan, string addressPart) =>
        plan["resource_changes"]!.AsArray().First(r => r!["address"]!.GetValue<string>().Contains(addressPart, StringComparison.Ordinal))!["change"]!["after"]!;

    [Fact]
    public void The_unchanged_plan_passes_every_rule() => Assert.Empty(PlanPolicy.All(fixture.Plan("dev")));

    private static JsonNode Change(JsonNode plan, string addressPart) =>
        plan["resource_changes"]!.AsArray().First(r => r!["address"]!.GetValue<string>().Contains(addressPart, StringComparison.Ordinal))!["change"]!;

    [Fact]
    public void The_flow_logs_are_encrypted_and_their_role_names_the_account()
    {
        var plan = fixture.Plan("dev");

        Assert.Empty(PlanPolicy.FlowLogs(plan));
        var group = Assert.Single(plan.OfType("aws_cloudwatch_log_group"), g => g.String("name")!.StartsWith("/aws/vpc-flow-logs/", StringComparison.Ordinal));
        Assert.True(group.WillBeSet("kms_key_id"));
        Assert.Contains(plan.OfType("aws_kms_key"), k => k.Address.Contains("flow_logs", StringComparison.Ordinal));
        Assert.Contains(plan.OfType("aws_iam_role"), r => r.String("assume_role_policy") is { } trust
            && trust.Contains("vpc-flow-logs.amazonaws.com", StringComparison.Ordinal) && trust.Contains("\"aws:SourceAccount\":\"123456789012\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Unencrypted_flow_logs_are_found() =>
        Assert.Contains(PlanPolicy.FlowLogs(Mutate(p =>
        {
            // Issue 11: the flow-log group was unencrypted.
            var change = Change(p, "aws_cloudwatch_log_group.flow_logs");
            change["after"]!.AsObject().Remove("kms_key_id");
            change["after_unknown"]!.AsObject().Remove("kms_key_id");
        })), f => f.Text.Contains("the flow logs are not encrypted with a KMS key", StringComparison.Ordinal));

    [Fact]
    public void A_flow_log_role_without_SourceAccount_is_found() =>
        Assert.Contains(PlanPolicy.FlowLogs(Mutate(p =>
        {
            var after = After(p, "aws_iam_role.flow_logs");
            after["assume_role_policy"] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"}}]}";
        })), f => f.Text.Contains("add an aws:SourceAccount condition", StringComparison.Ordinal));

    [Fact]
    public void IMDSv1_is_found() =>
        Assert.Contains(PlanPolicy.Instances(Mutate(p => After(p, "aws_launch_template.this[\"worker\"]")["metadata_options"]![0]!["http_tokens"] = "optional")),
            f => f.Text.Contains("IMDSv2 is not required", StringComparison.Ordinal));

    [Fact]
    public void A_hop_limit_above_one_is_found() =>
        Assert.Contains(PlanPolicy.Instances(Mutate(p => After(p, "aws_launch_template.this[\"control_plane\"]")["metadata_options"]![0]!["http_put_response_hop_limit"] = 2)),
            f => f.Text.Contains("hop limit 2", StringComparison.Ordinal));

    [Fact]
    public void An_unencrypted_volume_is_found() =>
        Assert.Contains(PlanPolicy.Instances(Mutate(p => After(p, "aws_launch_template.this[\"worker\"]")["block_device_mappings"]![0]!["ebs"]![0]!["encrypted"] = "false")),
            f => f.Text.Contains("not encrypted", StringComparison.Ordinal));

    [Fact]
    public void A_public_ip_is_found() =>
        Assert.Contains(PlanPolicy.Instances(Mutate(p => After(p, "aws_launch_template.this[\"worker\"]")["network_interfaces"]![0]!["associate_public_ip_address"] = "true")),
            f => f.Text.Contains("public IP", StringComparison.Ordinal));

    [Fact]
    public void SSH_from_the_world_is_found()
    {
        var plan = Mutate(p =>
        {
            var rule = After(p, "aws_vpc_security_group_ingress_rule.etcd");
            rule["referenced_security_group_id"] = null;
            rule["cidr_ipv4"] = "0.0.0.0/0";
            rule["from_port"] = 22;
            rule["to_port"] = 22;
        });

        Assert.Contains(PlanPolicy.WorldIngress(plan), f => f.Text.Contains("open to 0.0.0.0/0 on tcp/22", StringComparison.Ordinal));
    }

    [Fact]
    public void A_port_the_cluster_does_not_need_is_found() =>
        Assert.Contains(PlanPolicy.Ports(Mutate(p =>
        {
            var rule = After(p, "aws_vpc_security_group_ingress_rule.etcd");
            rule["from_port"] = 3306;
            rule["to_port"] = 3306;
        })), f => f.Text.Contains("tcp/3306 is not a port the cluster needs", StringComparison.Ordinal));

    [Fact]
    public void Etcd_open_to_a_CIDR_is_found() =>
        Assert.Contains(PlanPolicy.Ports(Mutate(p =>
        {
            var rule = After(p, "aws_vpc_security_group_ingress_rule.etcd");
            rule["referenced_security_group_id"] = null;
            rule["cidr_ipv4"] = "10.20.0.0/16";
        })), f => f.Text.Contains("etcd (tcp/2379-2380) is open to a CIDR", StringComparison.Ordinal));

    [Fact]
    public void A_missing_tag_is_found() =>
        Assert.Contains(PlanPolicy.Tagging(Mutate(p =>
        {
            var vpc = After(p, "aws_vpc.this");
            vpc["tags_all"]!.AsObject().Remove("Cluster");
            vpc["tags"]!.AsObject().Remove("Cluster");
        })), f => f.Text.Contains("aws_vpc.this: missing tags Cluster", StringComparison.Ordinal));

    [Fact]
    public void An_instance_without_its_role_tag_is_found() =>
        Assert.Contains(PlanPolicy.InstanceTagging(Mutate(p =>
        {
            var instance = After(p, "aws_instance.control_plane");
            instance["tags"]!.AsObject().Remove("Role");
            instance["tags_all"]!.AsObject().Remove("Role");
        })), f => f.Text.Contains("missing tag Role", StringComparison.Ordinal));

    [Fact]
    public void An_administrator_policy_is_found() =>
        Assert.Contains(PlanPolicy.Iam(Mutate(p => After(p, "aws_iam_role_policy_attachment.ssm")["policy_arn"] = "arn:aws:iam::aws:policy/AdministratorAccess")),
            f => f.Text.Contains("attaches arn:aws:iam::aws:policy/AdministratorAccess", StringComparison.Ordinal));

    [Fact]
    public void A_wildcard_action_in_a_policy_document_is_found()
    {
        var plan = Mutate(p =>
        {
            var vpc = p["configuration"]!["root_module"]!["module_calls"]!["platform"]!["module"]!["module_calls"]!["vpc"]!["module"]!["resources"]!.AsArray();
            var document = vpc.First(r => r!["address"]!.GetValue<string>() == "data.aws_iam_policy_document.flow_logs")!;
            document["expressions"]!["statement"]![0]!["actions"]!["constant_value"] = new JsonArray("logs:*");
        });

        Assert.Contains(PlanPolicy.Iam(plan), f => f.Text.Contains("allows every action (logs:*)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wildcard_resource_on_writes_is_found()
    {
        var plan = Mutate(p =>
        {
            var vpc = p["configuration"]!["root_module"]!["module_calls"]!["platform"]!["module"]!["module_calls"]!["vpc"]!["module"]!["resources"]!.AsArray();
            var statement = vpc.First(r => r!["address"]!.GetValue<string>() == "data.aws_iam_policy_document.flow_logs")!["expressions"]!["statement"]![0]!;
            statement["resources"] = new JsonObject { ["constant_value"] = new JsonArray("*") };
        });

        Assert.Contains(PlanPolicy.Iam(plan), f => f.Text.Contains("on every resource (*)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_control_plane_node_in_prod_is_found()
    {
        var prod = JsonNode.Parse(fixture.Plans["prod"])!;
        var changes = prod["resource_changes"]!.AsArray();
        changes.Remove(changes.First(r => r!["address"]!.GetValue<string>().EndsWith("aws_instance.control_plane[2]", StringComparison.Ordinal)));

        Assert.Contains(global::Platform.Build.Terraform.TerraformChecks.Expected(PlanDocument.Parse(prod.ToJsonString(), "prod"), "prod"),
            f => f.Contains("plans 2 aws_instance, expected 3", StringComparison.Ordinal));
    }

    [Fact]
    public void Half_the_internet_counts_as_the_internet()
    {
        var plan = Mutate(p =>
        {
            var rule = After(p, "aws_vpc_security_group_ingress_rule.api_lb_from_nodes");
            rule["referenced_security_group_id"] = null;
            rule["cidr_ipv4"] = "0.0.0.0/1";
        });

        Assert.Contains(PlanPolicy.WorldIngress(plan), f => f.Text.Contains("open to 0.0.0.0/1", StringComparison.Ordinal));
        Assert.True(PlanPolicy.IsWorld("128.0.0.0/1"));
        Assert.False(PlanPolicy.IsWorld("10.0.0.0/8"));
        Assert.True(PlanPolicy.IsWorld("::/0"));
    }

    [Fact]
    public void Etcd_opened_by_the_node_to_node_rule_is_found() =>
        Assert.Contains(PlanPolicy.Ports(Mutate(p =>
        {
            var rule = After(p, "aws_vpc_security_group_ingress_rule.node[\"worker-kubelet-from-worker\"]");
            rule["from_port"] = 2379;
            rule["to_port"] = 2380;
        })), f => f.Text.Contains("etcd (tcp/2379-2380) is opened by 'node', not by the rules meant for it (etcd)", StringComparison.Ordinal));

    [Theory]
    [InlineData("tcp", 0, 65535)]
    [InlineData("udp", 0, 65535)]
    [InlineData("tcp", 80, 443)]
    [InlineData("udp", 53, 53)]
    [InlineData("icmp", -1, -1)]
    [InlineData("tcp", 22, 22)]
    public void Any_other_protocol_or_port_range_to_the_internet_is_found(string protocol, int from, int to) =>
        Assert.Contains(PlanPolicy.WorldIngress(Mutate(p =>
        {
            // Issue 11: only protocol -1 was caught, so tcp 0-65535 to 0.0.0.0/0 passed.
            var rule = After(p, "aws_vpc_security_group_egress_rule.node_web");
            rule["ip_protocol"] = protocol;
            rule["from_port"] = from;
            rule["to_port"] = to;
        })), f => f.Text.Contains("aws_vpc_security_group_egress_rule.node_web", StringComparison.Ordinal) && f.Text.Contains("to 0.0.0.0/0; only tcp/80 and tcp/443 go to the internet", StringComparison.Ordinal));

    [Fact]
    public void All_traffic_to_the_internet_is_found() =>
        Assert.Contains(PlanPolicy.WorldIngress(Mutate(p =>
        {
            var rule = After(p, "aws_vpc_security_group_egress_rule.node_web");
            rule["ip_protocol"] = "-1";
            rule["from_port"] = null;
            rule["to_port"] = null;
        })), f => f.Text.Contains("sends all traffic to 0.0.0.0/0", StringComparison.Ordinal));

    [Fact]
    public void A_legacy_rule_open_to_the_world_is_found()
    {
        var plan = Mutate(p => p["resource_changes"]!.AsArray().Add(JsonNode.Parse("""
            {"address": "aws_security_group_rule.legacy", "mode": "managed", "type": "aws_security_group_rule", "name": "legacy",
             "change": {"actions": ["create"], "after": {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}}}
            """)));

        Assert.Contains(PlanPolicy.WorldIngress(plan), f => f.Text.Contains("aws_security_group_rule.legacy: a legacy security group rule open to the internet", StringComparison.Ordinal));
        Assert.Contains(PlanPolicy.Ports(plan), f => f.Text.Contains("aws_security_group_rule.legacy", StringComparison.Ordinal));
    }

    [Fact]
    public void An_instance_overriding_IMDSv2_is_found() =>
        Assert.Contains(PlanPolicy.Instances(Mutate(p => After(p, "aws_instance.control_plane")["metadata_options"] = JsonNode.Parse("[{\"http_tokens\": \"optional\"}]"))),
            f => f.Text.Contains("overrides the template's IMDSv2", StringComparison.Ordinal));

    [Fact]
    public void A_launch_configuration_is_found() =>
        Assert.Contains(PlanPolicy.Instances(Mutate(p => After(p, "aws_autoscaling_group.workers")["launch_configuration"] = "legacy-lc")),
            f => f.Text.Contains("uses a launch configuration", StringComparison.Ordinal));

    [Fact]
    public void A_role_anyone_may_assume_is_found() =>
        Assert.Contains(PlanPolicy.Iam(Mutate(p => After(p, "aws_iam_role.node[\"worker\"]")["assume_role_policy"] =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"*\"}}]}")),
            f => f.Text.Contains("lets any principal (*) assume it", StringComparison.Ordinal));

    [Fact]
    public void Write_wildcards_and_NotAction_are_found()
    {
        var plan = Mutate(p =>
        {
            var vpc = p["configuration"]!["root_module"]!["module_calls"]!["platform"]!["module"]!["module_calls"]!["vpc"]!["module"]!["resources"]!.AsArray();
            var statement = vpc.First(r => r!["address"]!.GetValue<string>() == "data.aws_iam_policy_document.flow_logs")!["expressions"]!["statement"]![0]!;
            statement["actions"] = new JsonObject { ["constant_value"] = new JsonArray("logs:Put*") };
            statement["not_resources"] = new JsonObject { ["constant_value"] = new JsonArray("arn:aws:logs:*:*:log-group:other") };
        });

        var findings = PlanPolicy.Iam(plan).ToList();
        Assert.Contains(findings, f => f.Text.Contains("a wildcard action (logs:Put*)", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Text.Contains("not_actions/not_resources", StringComparison.Ordinal));
    }
}
