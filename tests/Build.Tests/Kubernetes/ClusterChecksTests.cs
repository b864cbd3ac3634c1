using System.Text.Json;
using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Kubernetes;

/// <summary>The live cluster checks, against a fake API server: the requests they make and how they read the answers.</summary>
public sealed class ClusterChecksTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs");
    private readonly FakeApiServer _api = new();

    public void Dispose()
    {
        _api.Dispose();
        _repo.Dispose();
    }

    private ClusterChecks Checks() => new(PlatformContext.Create(_repo.Root, null, $"--kubeconfig={_api.Kubeconfig(_repo.Root)}"));

    private static string Node(string name, string ready) => JsonSerializer.Serialize(new
    {
        metadata = new { name },
        status = new { conditions = new[] { new { type = "Ready", status = ready, reason = ready == "True" ? "KubeletReady" : "KubeletNotReady", message = "network plugin not ready" } } },
    });

    private static string Nodes(params string[] nodes) => "{\"kind\": \"NodeList\", \"apiVersion\": \"v1\", \"metadata\": {}, \"items\": [" + string.Join(',', nodes) + "]}";

    [Fact]
    public async Task All_nodes_Ready_passes()
    {
        _api.On("GET", "/api/v1/nodes", Nodes(Node("cp-1", "True"), Node("w-1", "True")));

        var outcome = await Checks().NodesReady();

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal("2 nodes Ready: cp-1, w-1", outcome.Detail);
    }

    [Fact]
    public async Task A_node_not_Ready_fails_with_its_reason()
    {
        _api.On("GET", "/api/v1/nodes", Nodes(Node("cp-1", "True"), Node("w-1", "False")));

        var outcome = await Checks().NodesReady();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("w-1: not Ready (KubeletNotReady: network plugin not ready)", outcome.Detail);
    }

    [Fact]
    public async Task Fewer_nodes_than_the_outputs_list_fail()
    {
        _repo.Write("terraform/outputs/dev-terraform-outputs.json", """
            {"environment": {"value": "dev"}, "control_plane_nodes": {"value": [{}, {}, {}]}, "worker_private_ips": {"value": ["10.0.0.1"]}}
            """);
        _api.On("GET", "/api/v1/nodes", Nodes(Node("cp-1", "True")));

        var outcome = await Checks().NodesReady();

        Assert.Contains("1 nodes, the Terraform outputs list 4", outcome.Detail);
    }

    [Fact]
    public async Task Workers_missing_from_the_cluster_are_named()
    {
        _api.On("GET", "/api/v1/nodes", Nodes(Node("w-1", "True")));

        var outcome = await Checks().WorkersJoined(["w-1", "w-2"]);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("w-2: not a node of the cluster", outcome.Detail);
    }

    [Fact]
    public async Task Cilium_needs_every_agent_ready_and_the_operator()
    {
        _api.On("GET", "/apis/apps/v1/namespaces/kube-system/daemonsets/cilium",
                """{"metadata": {"name": "cilium"}, "status": {"desiredNumberScheduled": 3, "numberReady": 2, "numberUnavailable": 1, "currentNumberScheduled": 3, "numberMisscheduled": 0}}""")
            .On("GET", "/apis/apps/v1/namespaces/kube-system/deployments/cilium-operator",
                """{"metadata": {"name": "cilium-operator"}, "status": {"availableReplicas": 1}}""");

        var outcome = await Checks().CiliumHealthy();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("daemonset cilium: 2/3 ready, 1 unavailable", outcome.Detail);
    }

    [Fact]
    public async Task Network_policies_are_tried_as_a_server_side_dry_run_only()
    {
        _api.On("POST", "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies", """{"metadata": {"name": "platform-dry-run-deny"}}""", 201)
            .On("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ciliumnetworkpolicies.cilium.io", """{"metadata": {"name": "ciliumnetworkpolicies.cilium.io"}}""");

        var outcome = await Checks().NetworkPoliciesApply();

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        var create = Assert.Single(_api.Requests, r => r.Method == "POST");
        Assert.Contains("dryRun=All", create.Query);
    }

    [Fact]
    public async Task The_test_pod_is_restricted_and_its_namespace_is_always_deleted()
    {
        // The namespace name is random: the fake answers for any.
        _api.On("POST", "/api/v1/namespaces", """{"metadata": {"name": "x"}}""", 201)
            .On("POST", "/api/v1/namespaces/*", """{"metadata": {"name": "smoke"}}""", 201)
            .On("GET", "/api/v1/namespaces/*", """{"metadata": {"name": "smoke"}, "status": {"phase": "Pending"}}""")
            .On("DELETE", "/api/v1/namespaces/*", """{"kind": "Status", "status": "Success"}""");

        var outcome = await Checks().TestPod(TimeSpan.FromSeconds(4));

        var created = _api.Requests.First(r => r.Method == "POST" && r.Path == "/api/v1/namespaces");
        var namespaceName = JsonDocument.Parse(created.Body).RootElement.GetProperty("metadata").GetProperty("name").GetString()!;
        Assert.StartsWith("platform-smoke-", namespaceName);
        var pod = _api.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/pods", StringComparison.Ordinal));
        using var body = JsonDocument.Parse(pod.Body);
        var container = body.RootElement.GetProperty("spec").GetProperty("containers")[0];
        Assert.False(container.GetProperty("securityContext").GetProperty("allowPrivilegeEscalation").GetBoolean());
        Assert.Equal("ALL", container.GetProperty("securityContext").GetProperty("capabilities").GetProperty("drop")[0].GetString());
        Assert.True(body.RootElement.GetProperty("spec").GetProperty("securityContext").GetProperty("runAsNonRoot").GetBoolean());
        Assert.Contains(_api.Requests, r => r.Method == "DELETE" && r.Path == $"/api/v1/namespaces/{namespaceName}");
        Assert.Equal(CheckStatus.Failed, outcome.Status); // the fake never reports the pod Running
        Assert.Contains("did not run within 4 s", outcome.Detail);
    }

    [Fact]
    public async Task Access_needs_a_private_kubeconfig_that_reaches_the_API()
    {
        _api.On("GET", "/version", """{"major": "1", "minor": "32", "gitVersion": "v1.32.4"}""");
        var passing = await Checks().Access();
        Assert.Equal(CheckStatus.Passed, passing.Status);
        Assert.Contains("reaches Kubernetes v1.32.4", passing.Detail);
        var checks = Checks();
        File.SetUnixFileMode(_repo.Path("kubeconfig"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var outcome = await checks.Access();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("kubeconfig is readable by others: chmod 600 it", outcome.Detail);
    }
}
