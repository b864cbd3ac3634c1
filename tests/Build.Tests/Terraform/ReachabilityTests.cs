using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>"Can SSH to instances": SSH banners when SSH is on, SSM agents Online when access is SSM-only.</summary>
public sealed class ReachabilityTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");

    public void Dispose() => _repo.Dispose();

    /// <summary>An SSM client that answers DescribeInstanceInformation from a table, in pages of one.</summary>
    private sealed class FakeSsm(Dictionary<string, string> status) : AmazonSimpleSystemsManagementClient(new AnonymousAWSCredentials(), RegionEndpoint.EUWest1)
    {
        public List<DescribeInstanceInformationRequest> Requests { get; } = [];

        public override Task<DescribeInstanceInformationResponse> DescribeInstanceInformationAsync(DescribeInstanceInformationRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Add(request);
            var ids = request.Filters.Single(f => f.Key == "InstanceIds").Values.Where(status.ContainsKey).ToList();
            var index = request.NextToken is null ? 0 : int.Parse(request.NextToken, System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult(new DescribeInstanceInformationResponse
            {
                InstanceInformationList = index < ids.Count ? [new InstanceInformation { InstanceId = ids[index], PingStatus = new PingStatus(status[ids[index]]) }] : [],
                NextToken = index + 1 < ids.Count ? (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            });
        }
    }

    private void Outputs(bool ssh) => _repo.Write("terraform/outputs/dev-terraform-outputs.json", $$"""
        {
          "environment": {"value": "dev"},
          "region": {"value": "eu-west-1"},
          "ssh_enabled": {"value": {{(ssh ? "true" : "false")}}},
          "control_plane_nodes": {"value": [{"name": "cp-1", "instance_id": "i-0aaa", "private_ip": "127.0.0.1", "availability_zone": "eu-west-1a"}]},
          "worker_private_ips": {"value": ["127.0.0.1"]},
          "worker_instance_ids": {"value": ["i-0bbb"]}
        }
        """);

    [Fact]
    public async Task SSM_only_nodes_must_be_registered_and_Online()
    {
        Outputs(ssh: false);
        var ssm = new FakeSsm(new() { ["i-0aaa"] = "Online", ["i-0bbb"] = "ConnectionLost" });

        var outcome = await LiveTerraform.NodesReachable(PlatformContext.Create(_repo.Root), TimeSpan.FromSeconds(1), _ => ssm);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("i-0bbb: SSM agent ConnectionLost", outcome.Detail);
        Assert.Equal(["i-0aaa", "i-0bbb"], ssm.Requests[0].Filters.Single().Values);
        Assert.Equal(2, ssm.Requests.Count); // followed the pages
    }

    [Fact]
    public async Task A_node_missing_from_SSM_says_why_it_might_be()
    {
        Outputs(ssh: false);

        var outcome = await LiveTerraform.NodesReachable(PlatformContext.Create(_repo.Root), TimeSpan.FromSeconds(1), _ => new FakeSsm(new() { ["i-0aaa"] = "Online" }));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.StartsWith("i-0bbb: not registered with SSM", outcome.Detail);
    }

    [Fact]
    public async Task All_Online_passes()
    {
        Outputs(ssh: false);

        var outcome = await LiveTerraform.NodesReachable(PlatformContext.Create(_repo.Root), TimeSpan.FromSeconds(1), _ => new FakeSsm(new() { ["i-0aaa"] = "Online", ["i-0bbb"] = "Online" }));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.StartsWith("2 nodes Online in SSM", outcome.Detail);
    }

    [Fact]
    public async Task With_SSH_on_each_node_must_answer_with_a_banner()
    {
        Outputs(ssh: true);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start(); // a port that is not 22: connecting to 127.0.0.1:22 must fail here unless an sshd runs

        var outcome = await LiveTerraform.NodesReachable(PlatformContext.Create(_repo.Root), TimeSpan.FromSeconds(2), _ => throw new InvalidOperationException("SSM must not be asked"));

        Assert.NotEqual(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("127.0.0.1", outcome.Detail);
    }
}
