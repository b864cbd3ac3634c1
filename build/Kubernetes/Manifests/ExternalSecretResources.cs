using k8s;
using k8s.Models;

namespace Platform.Build.Kubernetes.Manifests;

// Typed model of External Secrets' ExternalSecret (external-secrets.io/v1, the
// API served since ESO 0.16), field names as its CRD spells them. Parsed
// strictly like every other object: a misspelt field fails with its line.

/// <summary>A Secret assembled by External Secrets from a store: the manifest names keys, never values.</summary>
[KubernetesEntity(Group = "external-secrets.io", ApiVersion = "v1", Kind = "ExternalSecret", PluralName = "externalsecrets")]
public sealed class ExternalSecret : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "external-secrets.io/v1";
    public string Kind { get; set; } = "ExternalSecret";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ExternalSecretSpec Spec { get; set; } = new();
    public object? Status { get; set; }
}

public sealed class ExternalSecretSpec
{
    public string? RefreshInterval { get; set; }
    public string? RefreshPolicy { get; set; }
    public SecretStoreRef? SecretStoreRef { get; set; }
    public ExternalSecretTarget? Target { get; set; }
    public List<ExternalSecretData>? Data { get; set; }
    public List<object>? DataFrom { get; set; }
}

public sealed class SecretStoreRef
{
    public string Name { get; set; } = string.Empty;
    public string? Kind { get; set; }
}

public sealed class ExternalSecretTarget
{
    public string? Name { get; set; }
    public string? CreationPolicy { get; set; }
    public string? DeletionPolicy { get; set; }
    public bool? Immutable { get; set; }
    public object? Template { get; set; }
}

public sealed class ExternalSecretData
{
    public string SecretKey { get; set; } = string.Empty;
    public RemoteReference? RemoteRef { get; set; }
    public object? SourceRef { get; set; }
}

public sealed class RemoteReference
{
    public string Key { get; set; } = string.Empty;
    public string? Property { get; set; }
    public string? Version { get; set; }
    public string? DecodingStrategy { get; set; }
    public string? ConversionStrategy { get; set; }
    public string? MetadataPolicy { get; set; }
}
