using k8s.Models;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Kubernetes.Workloads;

/// <summary>A pod template of a rendered workload (Deployment, StatefulSet, DaemonSet, Job, CronJob or bare Pod).</summary>
public sealed record PodTemplate(Manifest Owner, V1ObjectMeta Metadata, V1PodSpec Spec)
{
    public string Name => $"{Owner.Kind}/{Owner.Name}";

    public IReadOnlyDictionary<string, string> Labels => (IReadOnlyDictionary<string, string>?)Metadata.Labels?.AsReadOnly() ?? new Dictionary<string, string>();

    /// <summary>Every container: init containers first, as the kubelet starts them.</summary>
    public IEnumerable<V1Container> Containers => (Spec.InitContainers ?? []).Concat(Spec.Containers ?? []);

    /// <summary>The replicas the owner asks for (null: not a replicated kind, or left to an autoscaler).</summary>
    public int? Replicas => Owner.Object switch
    {
        V1Deployment d => d.Spec.Replicas,
        V1StatefulSet s => s.Spec.Replicas,
        _ => null,
    };

    public static IEnumerable<PodTemplate> In(IEnumerable<Manifest> manifests) => manifests.SelectMany(Of);

    public static IEnumerable<PodTemplate> Of(Manifest manifest)
    {
        var template = manifest.Object switch
        {
            V1Deployment d => d.Spec?.Template,
            V1StatefulSet s => s.Spec?.Template,
            V1DaemonSet ds => ds.Spec?.Template,
            V1ReplicaSet rs => rs.Spec?.Template,
            V1Job j => j.Spec?.Template,
            V1CronJob c => c.Spec?.JobTemplate?.Spec?.Template,
            V1Pod p => new V1PodTemplateSpec { Metadata = p.Metadata, Spec = p.Spec },
            _ => null,
        };

        if (template?.Spec is not null)
        {
            yield return new PodTemplate(manifest, template.Metadata ?? new V1ObjectMeta(), template.Spec);
        }
    }
}
