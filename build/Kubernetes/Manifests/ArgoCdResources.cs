using YamlDotNet.Serialization;
using k8s;
using k8s.Models;

namespace Platform.Build.Kubernetes.Manifests;

// Typed models of the Argo CD custom resources this repository ships
// (argoproj.io/v1alpha1, field names as Argo CD's types.go spells them).
// Parsed strictly: a field that is not here is a typo or from another
// version, and fails with its file and line instead of being dropped.

/// <summary>An Argo CD AppProject: what a tenant's Applications may read, where they may deploy, which kinds they may create.</summary>
[KubernetesEntity(Group = "argoproj.io", ApiVersion = "v1alpha1", Kind = "AppProject", PluralName = "appprojects")]
public sealed class AppProject : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "argoproj.io/v1alpha1";
    public string Kind { get; set; } = "AppProject";
    public V1ObjectMeta Metadata { get; set; } = new();
    public AppProjectSpec Spec { get; set; } = new();
    public object? Status { get; set; }
}

public sealed class AppProjectSpec
{
    public string? Description { get; set; }
    public List<string>? SourceRepos { get; set; }
    public List<string>? SourceNamespaces { get; set; }
    public List<ApplicationDestination>? Destinations { get; set; }
    public List<GroupKind>? ClusterResourceWhitelist { get; set; }
    public List<GroupKind>? ClusterResourceBlacklist { get; set; }
    public List<GroupKind>? NamespaceResourceWhitelist { get; set; }
    public List<GroupKind>? NamespaceResourceBlacklist { get; set; }
    public List<ProjectRole>? Roles { get; set; }
    public List<SyncWindow>? SyncWindows { get; set; }
    public OrphanedResources? OrphanedResources { get; set; }
    public List<SignatureKey>? SignatureKeys { get; set; }
    public bool? PermitOnlyProjectScopedClusters { get; set; }
    public List<DestinationServiceAccount>? DestinationServiceAccounts { get; set; }
}

public sealed class ApplicationDestination
{
    public string? Server { get; set; }
    public string? Namespace { get; set; }
    public string? Name { get; set; }
}

public sealed class GroupKind
{
    public string Group { get; set; } = string.Empty;
    public string Kind { get; set; } = string.Empty;
    public string? Name { get; set; }
}

public sealed class ProjectRole
{
    public string Name { get; set; } = string.Empty;
    public string? Description { get; set; }
    public List<string>? Policies { get; set; }
    public List<string>? Groups { get; set; }
    public List<JwtToken>? JwtTokens { get; set; }
}

public sealed class JwtToken
{
    public long Iat { get; set; }
    public long? Exp { get; set; }
    public string? Id { get; set; }
}

public sealed class SyncWindow
{
    public string Kind { get; set; } = string.Empty;
    public string Schedule { get; set; } = string.Empty;
    public string Duration { get; set; } = string.Empty;
    public List<string>? Applications { get; set; }
    public List<string>? Namespaces { get; set; }
    public List<string>? Clusters { get; set; }
    public bool? ManualSync { get; set; }
    public string? TimeZone { get; set; }
    public bool? AndOperator { get; set; }
    public string? Description { get; set; }
}

public sealed class OrphanedResources
{
    public bool? Warn { get; set; }
    public List<OrphanedResourceKey>? Ignore { get; set; }
}

public sealed class OrphanedResourceKey
{
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Name { get; set; }
}

public sealed class SignatureKey
{
    [YamlMember(Alias = "keyID", ApplyNamingConventions = false)]
    [System.Text.Json.Serialization.JsonPropertyName("keyID")]
    public string KeyId { get; set; } = string.Empty;
}

public sealed class DestinationServiceAccount
{
    public string Server { get; set; } = string.Empty;
    public string? Namespace { get; set; }
    public string DefaultServiceAccount { get; set; } = string.Empty;
}

/// <summary>An Argo CD Application: a source in Git deployed to a destination under a project.</summary>
[KubernetesEntity(Group = "argoproj.io", ApiVersion = "v1alpha1", Kind = "Application", PluralName = "applications")]
public sealed class Application : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "argoproj.io/v1alpha1";
    public string Kind { get; set; } = "Application";
    public V1ObjectMeta Metadata { get; set; } = new();
    public ApplicationSpec Spec { get; set; } = new();
    public object? Status { get; set; }
    public ApplicationOperation? Operation { get; set; }
}

public sealed class ApplicationSpec
{
    public string? Project { get; set; }
    public ApplicationSource? Source { get; set; }
    public List<ApplicationSource>? Sources { get; set; }
    public ApplicationDestination Destination { get; set; } = new();
    public SyncPolicy? SyncPolicy { get; set; }
    public List<ResourceIgnoreDifferences>? IgnoreDifferences { get; set; }
    public List<Info>? Info { get; set; }
    public long? RevisionHistoryLimit { get; set; }
}

public sealed class ApplicationSource
{
    [YamlMember(Alias = "repoURL", ApplyNamingConventions = false)]
    [System.Text.Json.Serialization.JsonPropertyName("repoURL")]
    public string RepoUrl { get; set; } = string.Empty;
    public string? Path { get; set; }
    public string? TargetRevision { get; set; }
    public string? Chart { get; set; }
    public string? Ref { get; set; }
    public string? Name { get; set; }
    public ApplicationSourceKustomize? Kustomize { get; set; }
    public ApplicationSourceHelm? Helm { get; set; }
    public ApplicationSourceDirectory? Directory { get; set; }
}

public sealed class ApplicationSourceKustomize
{
    public string? NamePrefix { get; set; }
    public string? NameSuffix { get; set; }
    public List<string>? Images { get; set; }
    public Dictionary<string, string>? CommonLabels { get; set; }
    public Dictionary<string, string>? CommonAnnotations { get; set; }
    public string? Namespace { get; set; }
    public string? Version { get; set; }
}

public sealed class ApplicationSourceHelm
{
    public string? ReleaseName { get; set; }
    public List<string>? ValueFiles { get; set; }
    public string? Values { get; set; }
    public object? ValuesObject { get; set; }
    public List<HelmParameter>? Parameters { get; set; }
    public bool? IgnoreMissingValueFiles { get; set; }
    public bool? SkipCrds { get; set; }
    public string? Version { get; set; }
}

public sealed class HelmParameter
{
    public string Name { get; set; } = string.Empty;
    public string? Value { get; set; }
    public bool? ForceString { get; set; }
}

public sealed class ApplicationSourceDirectory
{
    public bool? Recurse { get; set; }
    public string? Include { get; set; }
    public string? Exclude { get; set; }
}

public sealed class SyncPolicy
{
    public SyncPolicyAutomated? Automated { get; set; }
    public List<string>? SyncOptions { get; set; }
    public RetryStrategy? Retry { get; set; }
    public ManagedNamespaceMetadata? ManagedNamespaceMetadata { get; set; }
}

public sealed class SyncPolicyAutomated
{
    public bool? Prune { get; set; }
    public bool? SelfHeal { get; set; }
    public bool? AllowEmpty { get; set; }
    public bool? Enabled { get; set; }
}

public sealed class RetryStrategy
{
    public long? Limit { get; set; }
    public Backoff? Backoff { get; set; }
}

public sealed class Backoff
{
    public string? Duration { get; set; }
    public long? Factor { get; set; }
    public string? MaxDuration { get; set; }
}

public sealed class ManagedNamespaceMetadata
{
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class ResourceIgnoreDifferences
{
    public string? Group { get; set; }
    public string Kind { get; set; } = string.Empty;
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public List<string>? JsonPointers { get; set; }
    public List<string>? JqPathExpressions { get; set; }
    public List<string>? ManagedFieldsManagers { get; set; }
}

public sealed class Info
{
    public string Name { get; set; } = string.Empty;
    public string Value { get; set; } = string.Empty;
}

/// <summary>The operation field: how DeployApp asks Argo CD for a sync without its CLI.</summary>
public sealed class ApplicationOperation
{
    public OperationSync? Sync { get; set; }
    public OperationInitiator? InitiatedBy { get; set; }
    public List<Info>? Info { get; set; }
}

public sealed class OperationSync
{
    public string? Revision { get; set; }
    public bool? Prune { get; set; }
    public bool? DryRun { get; set; }
    public List<string>? SyncOptions { get; set; }
}

public sealed class OperationInitiator
{
    public string? Username { get; set; }
    public bool? Automated { get; set; }
}
