using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;

namespace Platform.Build.Core.Context;

/// <summary>
/// The cluster proves which platform environment it is: Task 2.8 records
/// kube-system/platform-identity (environment, cluster name) at setup, and no
/// action changes a cluster whose record is not --env's - asked once per run,
/// before the first change. (Offline, the kubeconfig's server is already held
/// to --env's API endpoint from the Terraform outputs: EnvironmentBinding.)
/// </summary>
public static class ClusterIdentity
{
    public const string Namespace = "kube-system";
    public const string Name = "platform-identity";

    private static readonly ConditionalWeakTable<BuildContext, Task<string?>> Asked = [];

    /// <summary>Why this run must not change the cluster, or null when the cluster is --env's.</summary>
    public static Task<string?> Refusal(BuildContext context) => Asked.GetValue(context, Ask);

    private static async Task<string?> Ask(BuildContext context)
    {
        var env = context.Options.EnvironmentName;
        try
        {
            var client = context.Cluster;
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync(Name, Namespace).ConfigureAwait(false);
            var recorded = map.Data?.TryGetValue("environment", out var value) == true ? value : null;
            return recorded == env
                ? null
                : $"refusing to change this cluster: its {Namespace}/{Name} says environment '{recorded ?? "(none)"}', not --env={env}: pass {env}'s kubeconfig (.secrets/{env}/kubeconfig)";
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return $"refusing to change this cluster: it has no {Namespace}/{Name}, so it cannot show it is {env}'s: run ./build.sh --target=ExecuteKubernetesSetup --env={env} (it records it)";
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or KubeConfigException or IOException)
        {
            return $"refusing to change the cluster: could not ask it which environment it is ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")})";
        }
    }
}
