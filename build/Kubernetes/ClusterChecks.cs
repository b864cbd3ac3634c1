using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Kubernetes;

/// <summary>
/// Live checks of the cluster through its API (KubernetesClient), with the
/// kubeconfig the build was given or the one Task 2.8 saved for --env.
/// Read-only except the test pod, which lives in a namespace of its own and is deleted.
/// </summary>
public sealed class ClusterChecks(BuildContext context)
{

    /// <summary>"kubectl get nodes shows all nodes Ready": every node Ready, and as many as the outputs list.</summary>
    public async Task<Outcome> NodesReady()
    {
        var client = context.Cluster;
        var nodes = (await client.CoreV1.ListNodeAsync().ConfigureAwait(false)).Items;
        var findings = nodes.Where(n => !IsReady(n)).Select(n => $"{n.Metadata.Name}: not Ready ({Reason(n)})").ToList();
        var expected = ExpectedNodes();
        if (expected is { } count && nodes.Count != count)
        {
            findings.Add($"{nodes.Count} nodes, the Terraform outputs list {count}");
        }

        return Outcome.FromFindings(findings, $"{nodes.Count} nodes Ready: {string.Join(", ", nodes.Select(n => n.Metadata.Name))}");
    }

    /// <summary>After an upgrade: every node Ready and its kubelet at <paramref name="version"/>, and the API server too.</summary>
    public async Task<Outcome> NodesAtVersion(string version)
    {
        var client = context.Cluster;
        var nodes = (await client.CoreV1.ListNodeAsync().ConfigureAwait(false)).Items;
        var server = await client.Version.GetCodeAsync().ConfigureAwait(false);
        var findings = nodes.Where(n => n.Status?.NodeInfo?.KubeletVersion != $"v{version}")
            .Select(n => $"{n.Metadata.Name}: kubelet {n.Status?.NodeInfo?.KubeletVersion ?? "(unknown)"}, not v{version}")
            .Concat(nodes.Where(n => !IsReady(n)).Select(n => $"{n.Metadata.Name}: not Ready ({Reason(n)})"))
            .ToList();
        if (server.GitVersion != $"v{version}")
        {
            findings.Add($"API server {server.GitVersion}, not v{version}");
        }

        return Outcome.FromFindings(findings, $"API server and {nodes.Count} kubelets at v{version}, all Ready");
    }

    /// <summary>After RemoveNode: the node is no longer in the cluster.</summary>
    public async Task<Outcome> NodeGone(string name)
    {
        var nodes = (await context.Cluster.CoreV1.ListNodeAsync().ConfigureAwait(false)).Items;
        return nodes.Any(n => n.Metadata.Name == name)
            ? Outcome.Fail($"{name} is still a node of the cluster")
            : Outcome.Pass($"{name} is not a node any more; {nodes.Count} nodes left: {string.Join(", ", nodes.Select(n => n.Metadata.Name))}");
    }

    /// <summary>"Workers join successfully": every worker of the inventory is a Ready node.</summary>
    public async Task<Outcome> WorkersJoined(IReadOnlyList<string> workers)
    {
        var client = context.Cluster;
        var nodes = (await client.CoreV1.ListNodeAsync().ConfigureAwait(false)).Items.ToDictionary(n => n.Metadata.Name);
        var findings = workers.Select(w => !nodes.TryGetValue(w, out var node) ? $"{w}: not a node of the cluster" : !IsReady(node) ? $"{w}: not Ready ({Reason(node)})" : null)
            .OfType<string>().ToList();
        return Outcome.FromFindings(findings, $"{workers.Count} workers joined and Ready");
    }

    /// <summary>"cilium status shows OK" / "Cilium health check passes": the agent on every node and the operator are available.</summary>
    public async Task<Outcome> CiliumHealthy()
    {
        var client = context.Cluster;
        var findings = new List<string>();
        var agents = await client.AppsV1.ReadNamespacedDaemonSetAsync("cilium", "kube-system").ConfigureAwait(false);
        var status = agents.Status;
        if (status.DesiredNumberScheduled == 0 || status.NumberReady != status.DesiredNumberScheduled || (status.NumberUnavailable ?? 0) > 0)
        {
            findings.Add($"daemonset cilium: {status.NumberReady}/{status.DesiredNumberScheduled} ready, {status.NumberUnavailable ?? 0} unavailable");
        }

        var operatorDeployment = await client.AppsV1.ReadNamespacedDeploymentAsync("cilium-operator", "kube-system").ConfigureAwait(false);
        if ((operatorDeployment.Status.AvailableReplicas ?? 0) < 1)
        {
            findings.Add("deployment cilium-operator has no available replica");
        }

        // An agent is Ready only while its own health endpoint (what cilium-dbg status reads) says OK.
        return Outcome.FromFindings(findings, $"cilium agents {status.NumberReady}/{status.DesiredNumberScheduled} Ready by their health probe, operator available");
    }

    /// <summary>"Network policies can be applied": the API accepts a NetworkPolicy (server-side dry run) and Cilium's policy CRD exists.</summary>
    public async Task<Outcome> NetworkPoliciesApply()
    {
        var client = context.Cluster;
        var policy = new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "platform-dry-run-deny" },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress"] },
        };
        await client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(policy, "default", dryRun: "All").ConfigureAwait(false);
        try
        {
            await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("ciliumnetworkpolicies.cilium.io").ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return Outcome.Fail("the API accepts NetworkPolicies, but ciliumnetworkpolicies.cilium.io is missing: is Cilium the CNI?");
        }

        return Outcome.Pass("a default-deny NetworkPolicy passes a server-side dry run; Cilium's policy CRD is installed");
    }

    /// <summary>"Can deploy test pod": a pause pod in a namespace of its own runs, then the namespace is deleted.</summary>
    public async Task<Outcome> TestPod(TimeSpan timeout)
    {
        var client = context.Cluster;
        var name = $"platform-smoke-{Guid.NewGuid().ToString("N")[..8]}";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "restricted" } },
        }).ConfigureAwait(false);
        try
        {
            await client.CoreV1.CreateNamespacedPodAsync(SmokePod(), name).ConfigureAwait(false);
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var pod = await client.CoreV1.ReadNamespacedPodAsync("smoke", name).ConfigureAwait(false);
                if (pod.Status?.Phase == "Running")
                {
                    return Outcome.Pass($"a pod ran on {pod.Spec.NodeName} (namespace {name}, now deleted)");
                }

                await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }

            return Outcome.Fail($"the test pod in {name} did not run within {timeout.TotalSeconds:0} s");
        }
        finally
        {
            try
            {
                await client.CoreV1.DeleteNamespaceAsync(name).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // already gone
            }
        }
    }

    /// <summary>"kubectl access configured": the kubeconfig is private and reaches the API.</summary>
    public async Task<Outcome> Access()
    {
        var path = context.Credentials.Kubeconfig!;
        var findings = new List<string>();
        if (OperatingSystem.IsLinux() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            findings.Add($"{context.Paths.Relative(path)} is readable by others: chmod 600 it");
        }

        var client = context.Cluster;
        var version = await client.Version.GetCodeAsync().ConfigureAwait(false);
        return Outcome.FromFindings(findings, $"{context.Paths.Relative(path)} reaches Kubernetes {version.GitVersion}");
    }

    /// <summary>A pod the restricted Pod Security profile admits.</summary>
    public static V1Pod SmokePod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "smoke" },
        Spec = new V1PodSpec
        {
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 65532, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Containers =
            [
                new V1Container
                {
                    Name = "pause",
                    Image = "registry.k8s.io/pause:3.10",
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        ReadOnlyRootFilesystem = true,
                        Capabilities = new V1Capabilities { Drop = ["ALL"] },
                    },
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("32Mi") },
                    },
                },
            ],
        },
    };

    private int? ExpectedNodes()
    {
        if (!File.Exists(context.Paths.TerraformOutputs))
        {
            return null;
        }

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(context.Paths.TerraformOutputs));
        var root = json.RootElement;
        return root.TryGetProperty("control_plane_nodes", out var cp) && root.TryGetProperty("worker_private_ips", out var w)
            ? cp.GetProperty("value").GetArrayLength() + w.GetProperty("value").GetArrayLength()
            : null;
    }

    private static bool IsReady(V1Node node) => node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static string Reason(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready ? $"{ready.Reason}: {ready.Message}" : "no Ready condition";
}
