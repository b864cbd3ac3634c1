using k8s;

namespace Platform.Build.Tools;

/// <summary>The one place a Kubernetes API client is made: from a kubeconfig file, as kubectl reads it.</summary>
public static class ClusterClient
{
    public static IKubernetes Open(string kubeconfig) =>
        new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
}
