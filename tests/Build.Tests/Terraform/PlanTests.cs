using System.Text.Json;
using Xunit;
using Platform.Build.Tests.Support;
using Platform.Build.Terraform;

namespace Platform.Build.Tests.Terraform;

/// <summary>What the offline plans of dev and prod contain, read from their JSON as a reviewer would.</summary>
[Collection("terraform")]
public sealed class PlanTests(TerraformFixture fixture)
{
    public static readonly TheoryData<string> Environments = new(TerraformSession.Environments);

    [Fact]
    public void The_build_planned_both_environments_and_its_plan_checks_passed()
    {
        Assert.Equal(0, fixture.Result.ExitCode);
        Assert.Equal("Passed", ReportFile.Row(fixture.Repo.Root, "CreateDevelopmentEnvironment", "`terraform plan` shows expected resources").Status);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Each_environment_has_the_resources_it_should(string environment)
    {
        var plan = fixture.Plan(environment);

        Assert.Empty(TerraformChecks.Expected(plan, environment));
        var prod = environment == "prod";
        Assert.Equal(prod ? 3 : 1, plan.OfType("aws_instance").Count());
        Assert.Equal(prod ? 3 : 1, plan.OfType("aws_nat_gateway").Count());
        Assert.Equal(prod ? 6 : 4, plan.OfType("aws_subnet").Count());
        Assert.All(plan.Resources.Where(r => r.Mode == "managed"), r => Assert.Equal("create", r.Action));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_taggable_resource_is_tagged(string environment)
    {
        var plan = fixture.Plan(environment);

        Assert.Empty(PlanPolicy.Tagging(plan));
        Assert.Empty(PlanPolicy.InstanceTagging(plan));
        var vpc = plan.OfType("aws_vpc").Single();
        Assert.Equal(environment, vpc.Tags["Environment"]);
        Assert.Equal("terraform", vpc.Tags["ManagedBy"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Only_the_ingress_load_balancer_is_open_to_the_world_and_only_on_80_and_443(string environment)
    {
        var plan = fixture.Plan(environment);

        Assert.Empty(PlanPolicy.WorldIngress(plan));
        Assert.Empty(PlanPolicy.Ports(plan));
        var world = plan.OfType("aws_vpc_security_group_ingress_rule").Where(r => r.String("cidr_ipv4") == "0.0.0.0/0").ToList();
        Assert.Equal(2, world.Count); // the example allows the public on the ingress load balancer
        Assert.All(world, r => Assert.Contains(".ingress_lb[", r.Address));
        Assert.Equal([80, 443], world.Select(r => r.Property("from_port")!.Value.GetInt32()).Order());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_launch_template_requires_IMDSv2_and_encrypts_its_volumes(string environment)
    {
        var plan = fixture.Plan(environment);

        Assert.Empty(PlanPolicy.Instances(plan));
        var templates = plan.OfType("aws_launch_template").ToList();
        Assert.Equal(2, templates.Count);
        foreach (var template in templates)
        {
            var metadata = template.Blocks("metadata_options").Single();
            Assert.Equal("required", metadata.GetProperty("http_tokens").GetString());
            Assert.Equal(1, metadata.GetProperty("http_put_response_hop_limit").GetInt32());
            var ebs = template.Blocks("block_device_mappings").Single().GetProperty("ebs").EnumerateArray().Single();
            Assert.Equal("true", ebs.GetProperty("encrypted").GetString());
            Assert.Equal("gp3", ebs.GetProperty("volume_type").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void IAM_grants_the_nodes_SSM_only_and_the_flow_logs_their_own_group(string environment)
    {
        var plan = fixture.Plan(environment);

        Assert.Empty(PlanPolicy.Iam(plan));
        Assert.All(plan.OfType("aws_iam_role_policy_attachment"), a => Assert.EndsWith("policy/AmazonSSMManagedInstanceCore", a.String("policy_arn")));
        Assert.Equal(2, plan.OfType("aws_iam_role_policy_attachment").Count());
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_etcd_snapshot_bucket_is_private_encrypted_and_expiring(string environment)
    {
        var plan = fixture.Plan(environment);
        var prod = environment == "prod";

        var bucket = Assert.Single(plan.OfType("aws_s3_bucket"));
        Assert.Equal($"platform-{environment}-etcd-backups-123456789012", bucket.String("bucket"));
        Assert.Equal(!prod, bucket.Property("force_destroy")!.Value.GetBoolean());
        var rule = Assert.Single(Assert.Single(plan.OfType("aws_s3_bucket_server_side_encryption_configuration")).Blocks("rule"));
        Assert.Equal("aws:kms", rule.GetProperty("apply_server_side_encryption_by_default")[0].GetProperty("sse_algorithm").GetString());
        Assert.True(rule.GetProperty("bucket_key_enabled").GetBoolean());
        var block = Assert.Single(plan.OfType("aws_s3_bucket_public_access_block"));
        Assert.All(new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }, a => Assert.True(block.Property(a)!.Value.GetBoolean(), a));
        Assert.Equal("Enabled", Assert.Single(plan.OfType("aws_s3_bucket_versioning")).Blocks("versioning_configuration").Single().GetProperty("status").GetString());
        var expiry = Assert.Single(plan.OfType("aws_s3_bucket_lifecycle_configuration")).Blocks("rule").Single(r => r.GetProperty("id").GetString() == "expire-snapshots");
        Assert.Equal(30, expiry.GetProperty("expiration")[0].GetProperty("days").GetInt32());
        Assert.Equal(prod ? 1 : 0, plan.OfType("aws_s3_bucket_object_lock_configuration").Count());
        Assert.All(plan.OfType("aws_kms_key"), k => Assert.True(k.Property("enable_key_rotation")!.Value.GetBoolean(), k.Address));
        var policy = Assert.Single(plan.OfType("aws_iam_role_policy"), p => p.Address.StartsWith("module.platform.module.backup.", StringComparison.Ordinal));
        Assert.Equal($"platform-{environment}-control-plane", policy.String("role"));
        Assert.Empty(PlanRules.Check(plan, environment));
    }

    [Fact]
    public void Prod_differs_from_dev_where_it_should()
    {
        var dev = fixture.Plan("dev");
        var prod = fixture.Plan("prod");

        Assert.False(Terminable(dev) == Terminable(prod));
        Assert.True(Terminable(dev) && !Terminable(prod));
        Assert.Equal("t3.medium", dev.OfType("aws_launch_template").Single(t => t.Address.Contains("control_plane")).String("instance_type"));
        Assert.Equal("m6i.large", prod.OfType("aws_launch_template").Single(t => t.Address.Contains("control_plane")).String("instance_type"));
        Assert.Empty(TerraformChecks.EnvironmentShape(dev));
        Assert.Empty(TerraformChecks.EnvironmentShape(prod));

        static bool Terminable(PlanDocument plan) => plan.OfType("aws_instance").All(i => i.Property("disable_api_termination")?.ValueKind == JsonValueKind.False);
    }

    [Fact]
    public void The_outputs_the_Ansible_inventory_needs_are_planned()
    {
        var outputs = fixture.Plan("dev").OutputNames;

        Assert.Superset(
            new HashSet<string> { "cluster_name", "environment", "control_plane_nodes", "control_plane_private_ips", "worker_private_ips", "api_lb_dns_name", "ssh_user", "pod_cidr", "service_cidr", "etcd_backup_bucket", "etcd_backup_kms_key_arn", "etcd_backup_prefix" },
            outputs.ToHashSet());
    }
}
