namespace Platform.Build.Kubernetes.Network;

/// <summary>A container port as a pod declares it (NetworkPolicy named ports refer to these).</summary>
public sealed record ContainerPort(string? Name, int Port, string Protocol = "TCP");

/// <summary>
/// One side of a flow: a pod (namespace, namespace labels, pod labels, ports)
/// or an address outside the cluster (an IP, matched only by ipBlock).
/// </summary>
public sealed record Endpoint(
    string Name,
    string? Namespace,
    IReadOnlyDictionary<string, string> NamespaceLabels,
    IReadOnlyDictionary<string, string> PodLabels,
    IReadOnlyList<ContainerPort> Ports,
    System.Net.IPAddress? Address = null)
{
    public bool IsPod => Namespace is not null;

    /// <summary>"namespace/name" for pods, the name for addresses.</summary>
    public string Id => IsPod ? $"{Namespace}/{Name}" : Name;

    public static Endpoint Pod(string ns, string name, IReadOnlyDictionary<string, string> namespaceLabels, IReadOnlyDictionary<string, string> podLabels, params ContainerPort[] ports) =>
        new(name, ns, WithNameLabel(ns, namespaceLabels), podLabels, ports);

    public static Endpoint External(string name, string address) =>
        new(name, null, new Dictionary<string, string>(), new Dictionary<string, string>(), [], System.Net.IPAddress.Parse(address));

    /// <summary>The API server labels every namespace with its own name; policies select namespaces by it.</summary>
    private static IReadOnlyDictionary<string, string> WithNameLabel(string ns, IReadOnlyDictionary<string, string> labels) =>
        new Dictionary<string, string>(labels) { ["kubernetes.io/metadata.name"] = ns };
}
