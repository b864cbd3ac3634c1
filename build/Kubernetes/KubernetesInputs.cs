using Platform.Build.Core.Cache;

namespace Platform.Build.Kubernetes;

/// <summary>What the Phase 3 and 4 checks read of the repository (their cache keys; see Core/Cache).</summary>
public static class KubernetesInputs
{
    /// <summary>kubernetes/ (manifests, the tenant catalog, the Argo CD install), and the Terraform outputs some renders read.</summary>
    public static readonly CheckInputs All = new(["kubernetes/**", "terraform/outputs/**", ".secrets/**"]);
}
