using Platform.Build.Core.Context;

namespace Platform.Build.Kubernetes.Manifests;

/// <summary>The run's kustomize renders on the context.</summary>
public static class RendersContext
{
    extension(BuildContext context)
    {
        /// <summary>This run's kustomize renders, each parsed strictly and shared by the tasks that read it.</summary>
        public ManifestRenders Renders => context.Shared(c => new ManifestRenders(c));
    }
}
