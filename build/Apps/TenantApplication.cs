namespace Platform.Build.Apps;

/// <summary>A dev/prod difference the overlays are meant to make: a kind, an object name and a path pattern ('*' for one segment).</summary>
public sealed record IntendedDifference(string Kind, string Name, string Path, string Why);

/// <summary>
/// A tenant application of the repository: its kustomize base and overlays, the
/// organization and namespaces it runs in, and the differences its overlays are
/// meant to make. The seed's example is sso, for org-a.
/// </summary>
public sealed record TenantApplication(string Name, string Organization, string Folder, IReadOnlyList<IntendedDifference> Differences)
{
    public string Base => $"{Folder}/base";

    public string Overlay(string environment) => $"{Folder}/overlays/{environment}";

    public string Namespace(string environment) => $"{Organization}-{environment}";

    /// <summary>The Argo CD Application of an environment: kubernetes/argocd/applications/&lt;name&gt;-&lt;env&gt;.yaml.</summary>
    public string ApplicationName(string environment) => $"{Name}-{environment}";

    public static readonly IReadOnlyList<string> Environments = ["dev", "prod"];

    public static readonly TenantApplication Sso = new("sso", "org-a", "kubernetes/apps/sso",
    [
        new("ConfigMap", "sso-settings", "data.*", "the issuer, database host and redirect URI of the environment"),
        new("Deployment", "sso", "spec.replicas", "prod leaves the count to its HorizontalPodAutoscaler"),
        new("Deployment", "sso", "spec.template.spec.containers.0.resources.*.*", "prod's larger requests and limits"),
        new("Deployment", "sso", "spec.template.spec.containers.0.image", "dev may run a newer pinned tag before prod"),
        new("Deployment", "sso", "spec.template.spec.topologySpreadConstraints.0.whenUnsatisfiable", "prod refuses to put every replica in one zone"),
        new("Ingress", "sso", "spec.tls.0.hosts.0", "the environment's host"),
        new("Ingress", "sso", "spec.rules.0.host", "the environment's host"),
        new("ExternalSecret", "sso-secrets", "spec.data.*.remoteRef.key", "the environment's secrets"),
        new("HorizontalPodAutoscaler", "sso", "*", "prod only"),
    ]);
}
