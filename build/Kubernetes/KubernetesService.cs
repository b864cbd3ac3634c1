using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Kubernetes;

/// <summary>
/// What the tasks ask of Kubernetes (shared by Phases 2-4): manifests rendered and parsed strictly, yamllint over kubernetes/, and the cluster itself (nodes, Cilium, a test pod, network policies). Tasks call these as
/// <c>c.Kubernetes.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class KubernetesService(BuildContext context)
{
    public Outcome RenderStrict(params string[] folders) => KubernetesChecks.RenderStrict(context, folders);
    public Outcome Yamllint() => KubernetesChecks.Yamllint(context);

    // Live: each needs what its task declares (a cluster, AWS credentials, the hosts).
    public Task<Outcome> Access() => new ClusterChecks(context).Access();
    public Task<Outcome> CiliumHealthy() => new ClusterChecks(context).CiliumHealthy();
    public Task<Outcome> NetworkPoliciesApply() => new ClusterChecks(context).NetworkPoliciesApply();
    public Task<Outcome> NodesReady() => new ClusterChecks(context).NodesReady();
    public Task<Outcome> NodesAtVersion(string version) => new ClusterChecks(context).NodesAtVersion(version);
    public Task<Outcome> NodeGone(string name) => new ClusterChecks(context).NodeGone(name);
    public Task<Outcome> TestPod(TimeSpan timeout) => new ClusterChecks(context).TestPod(timeout);
    public Task<Outcome> WorkersJoined(IReadOnlyList<string> workers) => new ClusterChecks(context).WorkersJoined(workers);
}

public static class KubernetesServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Kubernetes's checks and actions for the tasks.</summary>
        public KubernetesService Kubernetes => new(context);
    }
}
