using System.Diagnostics;
using System.Text.Json;
using Xunit;
using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Ansible;

/// <summary>The dynamic inventory: what it emits from outputs files, and how it refuses bad ones.</summary>
public sealed class InventoryTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible", "terraform");

    public void Dispose() => _repo.Dispose();

    private (int Exit, string Stdout, string Stderr) Script(string environment, string outputs, string? ssmBucket = null)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_repo.Path($"ansible/inventory/{environment}/terraform-inventory.py"));
        start.Environment["PLATFORM_TERRAFORM_OUTPUTS"] = outputs;
        start.Environment.Remove("PLATFORM_SSM_BUCKET");
        if (ssmBucket is not null)
        {
            start.Environment["PLATFORM_SSM_BUCKET"] = ssmBucket;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Theory]
    [InlineData("dev", 1, 2)]
    [InlineData("prod", 3, 3)]
    public void The_same_script_serves_each_environment_from_its_outputs(string environment, int controlPlanes, int workers)
    {
        var (exit, stdout, _) = Script(environment, _repo.Path($"ansible/inventory/fixtures/{environment}-terraform-outputs.json"));

        Assert.Equal(0, exit);
        using var inventory = JsonDocument.Parse(stdout);
        var root = inventory.RootElement;
        Assert.Equal(controlPlanes, root.GetProperty("control_plane").GetProperty("hosts").GetArrayLength());
        Assert.Equal(workers, root.GetProperty("workers").GetProperty("hosts").GetArrayLength());
        Assert.Equal(["control_plane", "workers"], root.GetProperty("k8s_cluster").GetProperty("children").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(environment, root.GetProperty("all").GetProperty("vars").GetProperty("platform_environment").GetString());
        var first = root.GetProperty("_meta").GetProperty("hostvars").GetProperty($"platform-{environment}-control-plane-1");
        Assert.True(first.GetProperty("first_control_plane").GetBoolean());
        Assert.Equal("admin", first.GetProperty("ansible_user").GetString());
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_control_planes_get_the_etcd_backup_bucket_key_and_prefix(string environment)
    {
        var (exit, stdout, _) = Script(environment, _repo.Path($"ansible/inventory/fixtures/{environment}-terraform-outputs.json"));

        Assert.Equal(0, exit);
        using var inventory = JsonDocument.Parse(stdout);
        var vars = inventory.RootElement.GetProperty("control_plane").GetProperty("vars");
        Assert.Equal($"platform-{environment}-etcd-backups-123456789012", vars.GetProperty("etcd_backup_bucket").GetString());
        Assert.StartsWith("arn:aws:kms:eu-west-1:123456789012:key/", vars.GetProperty("etcd_backup_kms_key_arn").GetString());
        Assert.Equal("etcd/", vars.GetProperty("etcd_backup_prefix").GetString());
        Assert.False(inventory.RootElement.GetProperty("workers").TryGetProperty("vars", out _)); // the workers never write snapshots
    }

    [Theory]
    [InlineData("etcd_backup_bucket", "\"Not_A_Bucket\"", "etcd_backup_bucket is 'Not_A_Bucket', not an S3 bucket name")]
    [InlineData("etcd_backup_kms_key_arn", "\"alias/platform-dev-etcd-backups\"", "etcd_backup_kms_key_arn is 'alias/platform-dev-etcd-backups', not a KMS key ARN")]
    [InlineData("etcd_backup_prefix", "\"/etcd\"", "etcd_backup_prefix is '/etcd', not a key prefix ending in a slash")]
    [InlineData("etcd_backup_prefix", "[\"etcd/\"]", "etcd_backup_prefix is ['etcd/'], not a key prefix")]
    public void A_bad_etcd_backup_output_is_one_line_on_stderr(string output, string value, string message)
    {
        var outputs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_repo.Path("ansible/inventory/fixtures/dev-terraform-outputs.json")))!;
        outputs[output]!["value"] = System.Text.Json.Nodes.JsonNode.Parse(value);
        _repo.Write("bad-backup.json", outputs.ToJsonString());

        var (exit, stdout, stderr) = Script("dev", _repo.Path("bad-backup.json"));

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains(message, Assert.Single(stderr.Trim().Split('\n')));
    }

    [Fact]
    public void SSM_only_environments_get_the_SSM_connection()
    {
        var outputs = File.ReadAllText(_repo.Path("ansible/inventory/fixtures/dev-terraform-outputs.json"))
            .Replace("\"value\": true", "\"value\": false", StringComparison.Ordinal);
        _repo.Write("ssm.json", outputs);

        var (refused, _, error) = Script("dev", _repo.Path("ssm.json"));
        Assert.Equal(1, refused);
        Assert.Contains("ssh_enabled is false, so hosts are reached through SSM: set PLATFORM_SSM_BUCKET", error);

        var (exit, stdout, _) = Script("dev", _repo.Path("ssm.json"), ssmBucket: "platform-dev-ssm-transfer");

        Assert.Equal(0, exit);
        using var inventory = JsonDocument.Parse(stdout);
        var host = inventory.RootElement.GetProperty("_meta").GetProperty("hostvars").GetProperty("platform-dev-control-plane-1");
        Assert.Equal("community.aws.aws_ssm", host.GetProperty("ansible_connection").GetString());
        Assert.Equal("i-0dc0000000000000", host.GetProperty("ansible_aws_ssm_instance_id").GetString());
        Assert.Equal("platform-dev-ssm-transfer", host.GetProperty("ansible_aws_ssm_bucket_name").GetString());
    }

    [Theory]
    [InlineData(null, "not found: it is written by Task 1.6 (./build.sh --target=ApplyInfrastructure --env=dev)")]
    [InlineData("{\"cluster_name\": ", "not valid JSON")]
    [InlineData("{\"cluster_name\": {\"value\": \"platform\"}}", "missing outputs environment, region, control_plane_nodes")]
    [InlineData("[]", "expected the object terraform output -json writes")]
    public void Bad_outputs_are_one_line_on_stderr_and_exit_1(string? text, string message)
    {
        var path = _repo.Path("bad.json");
        if (text is not null)
        {
            File.WriteAllText(path, text);
        }

        var (exit, stdout, stderr) = Script("dev", path);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"terraform-inventory: {path}", line);
        Assert.Contains(message, line);
    }

    [Fact]
    public void An_empty_control_plane_is_refused()
    {
        var outputs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_repo.Path("ansible/inventory/fixtures/dev-terraform-outputs.json")))!;
        outputs["control_plane_nodes"]!["value"] = new System.Text.Json.Nodes.JsonArray();
        _repo.Write("empty.json", outputs.ToJsonString());

        var (exit, _, stderr) = Script("dev", _repo.Path("empty.json"));

        Assert.Equal(1, exit);
        Assert.Contains("control_plane_nodes is empty: the cluster needs at least one control-plane node", stderr);
    }

    [Fact]
    public void The_build_checks_pass_on_the_repository_and_the_fixtures_match_the_environments()
    {
        var context = PlatformContext.Create(_repo.Root);

        Assert.Equal(CheckStatus.Passed, InventoryChecks.ShowsHosts(context).Status);
        Assert.Equal(CheckStatus.Passed, InventoryChecks.Grouped(context).Status);
        Assert.Equal(CheckStatus.Passed, InventoryChecks.Variables(context).Status);
        Assert.Equal(CheckStatus.Passed, InventoryChecks.BadInput(context).Status);
        Assert.Equal(CheckStatus.Passed, InventoryChecks.FixturesMatch(context).Status);
    }

    [Fact]
    public void A_fixture_that_drifts_from_the_environments_outputs_is_found()
    {
        var outputs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_repo.Path("ansible/inventory/fixtures/prod-terraform-outputs.json")))!.AsObject();
        outputs.Remove("ssh_enabled");
        _repo.Write("ansible/inventory/fixtures/prod-terraform-outputs.json", outputs.ToJsonString());

        var outcome = InventoryChecks.FixturesMatch(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("prod-terraform-outputs.json lacks output ssh_enabled", outcome.Detail);
    }
}
