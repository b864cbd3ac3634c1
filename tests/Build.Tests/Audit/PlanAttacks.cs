using System.Text.Json.Nodes;

namespace Platform.Build.Tests.Audit;

/// <summary>For each plan rule, the plan change a careless operator (or a hostile module) would make: one edit of the shipped dev or prod plan.</summary>
public static class PlanAttacks
{
    private static JsonNode Change(AuditModel m, string env, string address) =>
        m.Plans[env]["resource_changes"]!.AsArray().First(r => r!["address"]!.GetValue<string>().Contains(address, StringComparison.Ordinal))!["change"]!;

    private static JsonNode After(AuditModel m, string address, string env = "dev") => Change(m, env, address)["after"]!;

    private static void Add(AuditModel m, string type, string name, JsonObject after) =>
        m.Plans["dev"]["resource_changes"]!.AsArray().Add(new JsonObject
        {
            ["address"] = $"module.platform.module.security.{type}.{name}", ["module_address"] = "module.platform.module.security",
            ["mode"] = "managed", ["type"] = type, ["name"] = name,
            ["change"] = new JsonObject { ["actions"] = new JsonArray("create"), ["after"] = after, ["after_unknown"] = new JsonObject() },
        });

    private static void Remove(AuditModel m, string type)
    {
        var changes = m.Plans["dev"]["resource_changes"]!.AsArray();
        foreach (var change in changes.Where(r => r!["type"]!.GetValue<string>() == type).ToList())
        {
            changes.Remove(change);
        }
    }

    private static void Untag(JsonNode resource, string tag)
    {
        resource["tags"]?.AsObject().Remove(tag);
        resource["tags_all"]?.AsObject().Remove(tag);
    }

    private static void Policy(AuditModel m, string statement) =>
        After(m, "aws_iam_role_policy.flow_logs")["policy"] = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{statement}]}}";

    private const string Etcd = "aws_vpc_security_group_ingress_rule.etcd";
    private const string Worker = "aws_launch_template.this[\"worker\"]";
    private const string WebEgress = "aws_vpc_security_group_egress_rule.node_web[\"worker-web-443\"]";

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> All = new Dictionary<string, Action<AuditModel>>
    {
        ["TF-TAG-001"] = m => Untag(After(m, "aws_vpc.this"), "Cluster"),
        ["TF-TAG-002"] = m => Untag(After(m, "aws_instance.control_plane"), "Role"),
        ["TF-TAG-003"] = m => After(m, Worker)["tag_specifications"]![0]!["tags"]!.AsObject().Remove("Role"),
        ["TF-TAG-004"] = m =>
        {
            foreach (var tag in After(m, "aws_autoscaling_group.workers")["tag"]!.AsArray().Where(t => t!["key"]!.GetValue<string>() == "Role"))
            {
                tag!["propagate_at_launch"] = false;
            }
        },
        ["TF-NET-001"] = m => After(m, "aws_vpc_security_group_ingress_rule.ssh")["cidr_ipv4"] = "0.0.0.0/0",
        ["TF-NET-002"] = m => After(m, WebEgress)["ip_protocol"] = "-1",
        ["TF-NET-003"] = m => { After(m, WebEgress)["from_port"] = 22; After(m, WebEgress)["to_port"] = 22; },
        ["TF-NET-004"] = m => Add(m, "aws_security_group_rule", "debug", new JsonObject { ["type"] = "ingress", ["from_port"] = 22, ["to_port"] = 22, ["protocol"] = "tcp", ["cidr_blocks"] = new JsonArray("0.0.0.0/0") }),
        ["TF-NET-005"] = m => After(m, "aws_security_group.worker")["ingress"] = new JsonArray(new JsonObject { ["from_port"] = 22, ["to_port"] = 22, ["protocol"] = "tcp", ["cidr_blocks"] = new JsonArray("0.0.0.0/0") }),
        ["TF-NET-006"] = m => After(m, Etcd)["ip_protocol"] = "-1",
        ["TF-NET-007"] = m => { After(m, Etcd)["from_port"] = 3306; After(m, Etcd)["to_port"] = 3306; },
        ["TF-NET-008"] = m => { After(m, Etcd)["from_port"] = 10250; After(m, Etcd)["to_port"] = 10250; },
        ["TF-NET-009"] = m => { After(m, Etcd)["referenced_security_group_id"] = null; After(m, Etcd)["cidr_ipv4"] = "10.20.0.0/16"; },
        ["TF-NET-010"] = m => Add(m, "aws_security_group_rule", "legacy", new JsonObject { ["type"] = "ingress", ["from_port"] = 10250, ["to_port"] = 10250, ["protocol"] = "tcp", ["cidr_blocks"] = new JsonArray("10.20.0.0/16") }),
        ["TF-EC2-001"] = m => After(m, Worker)["metadata_options"]![0]!["http_tokens"] = "optional",
        ["TF-EC2-002"] = m => After(m, Worker)["metadata_options"]![0]!["http_put_response_hop_limit"] = 2,
        ["TF-EC2-003"] = m => After(m, Worker)["block_device_mappings"] = new JsonArray(),
        ["TF-EC2-004"] = m => After(m, Worker)["block_device_mappings"]![0]!["ebs"]![0]!["encrypted"] = "false",
        ["TF-EC2-005"] = m => After(m, Worker)["block_device_mappings"]![0]!["ebs"]![0]!["delete_on_termination"] = "false",
        ["TF-EC2-006"] = m => After(m, Worker)["network_interfaces"]![0]!["associate_public_ip_address"] = "true",
        ["TF-EC2-007"] = m => After(m, "aws_instance.control_plane")["associate_public_ip_address"] = true,
        ["TF-EC2-008"] = m => After(m, "aws_instance.control_plane")["launch_template"] = new JsonArray(),
        ["TF-EC2-009"] = m => After(m, "aws_instance.control_plane")["metadata_options"] = new JsonArray(new JsonObject { ["http_tokens"] = "optional" }),
        ["TF-EC2-010"] = m => After(m, "aws_instance.control_plane")["root_block_device"] = new JsonArray(new JsonObject { ["encrypted"] = false }),
        ["TF-EC2-011"] = m => After(m, "aws_autoscaling_group.workers")["launch_configuration"] = "workers-legacy",
        ["TF-EC2-012"] = m => { After(m, "aws_autoscaling_group.workers")["launch_template"] = new JsonArray(); After(m, "aws_autoscaling_group.workers")["mixed_instances_policy"] = new JsonArray(); },
        ["TF-EC2-013"] = m => After(m, Worker)["monitoring"] = new JsonArray(new JsonObject { ["enabled"] = false }),
        ["TF-EC2-014"] = m => After(m, Worker)["ebs_optimized"] = "false",
        ["TF-EBS-001"] = m => Remove(m, "aws_ebs_encryption_by_default"),
        ["TF-VPC-001"] = m => After(m, "aws_subnet.public")["map_public_ip_on_launch"] = true,
        ["TF-VPC-002"] = m => After(m, "aws_default_security_group.this")["ingress"] = new JsonArray(new JsonObject { ["from_port"] = 0, ["to_port"] = 0, ["protocol"] = "-1", ["self"] = true }),
        ["TF-FLOW-001"] = m => Remove(m, "aws_flow_log"),
        ["TF-FLOW-002"] = m =>
        {
            var change = Change(m, "dev", "aws_cloudwatch_log_group.flow_logs");
            change["after"]!.AsObject().Remove("kms_key_id");
            change["after_unknown"]!.AsObject().Remove("kms_key_id");
        },
        ["TF-LOG-001"] = m => After(m, "aws_cloudwatch_log_group.flow_logs", "prod")["retention_in_days"] = 30,
        ["TF-KMS-001"] = m => After(m, "aws_kms_key.flow_logs")["enable_key_rotation"] = false,
        ["TF-KMS-002"] = m => After(m, "aws_kms_key.flow_logs")["deletion_window_in_days"] = 7,
        ["TF-LB-001"] = m => After(m, "aws_lb.api")["internal"] = false,
        ["TF-LB-002"] = m => After(m, "aws_lb.ingress", "prod")["enable_deletion_protection"] = false,
        ["TF-IAM-001"] = m => After(m, "aws_iam_role_policy_attachment.ssm")["policy_arn"] = "arn:aws:iam::aws:policy/AdministratorAccess",
        ["TF-IAM-002"] = m => After(m, "aws_iam_role.flow_logs")["assume_role_policy"] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"*\"}}]}",
        ["TF-IAM-003"] = m => Policy(m, "{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"arn:aws:logs:*:123456789012:*\"}"),
        ["TF-IAM-004"] = m =>
        {
            var vpc = m.Plans["dev"]["configuration"]!["root_module"]!["module_calls"]!["platform"]!["module"]!["module_calls"]!["vpc"]!["module"]!["resources"]!.AsArray();
            var statement = vpc.First(r => r!["address"]!.GetValue<string>() == "data.aws_iam_policy_document.flow_logs")!["expressions"]!["statement"]![0]!;
            statement["principals"] = new JsonArray(new JsonObject { ["type"] = new JsonObject { ["constant_value"] = "AWS" }, ["identifiers"] = new JsonObject { ["constant_value"] = new JsonArray("*") } });
        },
        ["TF-IAM-005"] = m => Policy(m, "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:logs:*:123456789012:*\"}"),
        ["TF-IAM-006"] = m => Policy(m, "{\"Effect\":\"Allow\",\"Action\":\"logs:Put*\",\"Resource\":\"arn:aws:logs:*:123456789012:*\"}"),
        ["TF-IAM-007"] = m => Policy(m, "{\"Effect\":\"Allow\",\"Action\":\"logs:PutLogEvents\",\"Resource\":\"*\"}"),
        ["TF-IAM-008"] = m => After(m, "aws_iam_role.flow_logs")["assume_role_policy"] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"Service\":\"vpc-flow-logs.amazonaws.com\"}}]}",
    };
}
