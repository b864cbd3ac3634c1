namespace Platform.Build.Tenancy;

/// <summary>A kind tenants may sync, with the API resource RBAC and admission name it by.</summary>
public sealed record TenantKind(string Group, string Kind, string Resource);

/// <summary>
/// Where the tenancy is rendered, one entry point per cluster, and the names
/// the guardrails share between the renderer and the checks.
/// </summary>
public static class TenantLayout
{
    public const string Guardrails = "kubernetes/guardrails";

    /// <summary>The identity Argo CD syncs a tenant namespace as (sync impersonation), one per namespace.</summary>
    public const string Deployer = "platform-deployer";

    /// <summary>What every deployer may do: the tenant kinds, nothing else.</summary>
    public const string DeployerRole = "platform-tenant-deployer";

    /// <summary>cert-manager's controller: the only identity that writes TLS Secrets into tenant namespaces (for hosts the Ingress rule let through).</summary>
    public const string CertificateIssuer = "system:serviceaccount:cert-manager:cert-manager";

    /// <summary>Platform-owned ServiceAccounts, Roles and RoleBindings in tenant namespaces start with this; tenants may not touch them.</summary>
    public const string PlatformPrefix = "platform-";

    /// <summary>
    /// What a tenant's Applications may create in its namespaces: workloads and
    /// what they need. Not Role, RoleBinding, Secret (a token Secret mints a
    /// ServiceAccount's credentials), nor any guardrail (quota, limits, policies,
    /// secret stores) - unless the catalog grants one, with a reason.
    /// </summary>
    public static readonly IReadOnlyList<TenantKind> Whitelist =
    [
        new(string.Empty, "ConfigMap", "configmaps"),
        new(string.Empty, "Service", "services"),
        new(string.Empty, "ServiceAccount", "serviceaccounts"),
        new(string.Empty, "PersistentVolumeClaim", "persistentvolumeclaims"),
        new("apps", "Deployment", "deployments"),
        new("apps", "StatefulSet", "statefulsets"),
        new("batch", "Job", "jobs"),
        new("batch", "CronJob", "cronjobs"),
        new("networking.k8s.io", "Ingress", "ingresses"),
        new("policy", "PodDisruptionBudget", "poddisruptionbudgets"),
        new("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
        new("external-secrets.io", "ExternalSecret", "externalsecrets"),
    ];

    /// <summary>The kinds of a tenant namespace that only the platform may create, change or delete.</summary>
    public static readonly IReadOnlyList<TenantKind> GuardrailKinds =
    [
        new(string.Empty, "ResourceQuota", "resourcequotas"),
        new(string.Empty, "LimitRange", "limitranges"),
        new("networking.k8s.io", "NetworkPolicy", "networkpolicies"),
        new("cilium.io", "CiliumNetworkPolicy", "ciliumnetworkpolicies"),
        new("external-secrets.io", "SecretStore", "secretstores"),
    ];

    /// <summary>The ResourceQuota keys that cap object counts (each at the size's <c>objects</c>).</summary>
    public static readonly IReadOnlyList<string> CountedKinds =
    [
        "count/configmaps", "count/secrets", "services", "count/ingresses.networking.k8s.io", "count/jobs.batch", "count/cronjobs.batch",
        "count/externalsecrets.external-secrets.io", "count/poddisruptionbudgets.policy",
    ];

    /// <summary>The platform environments, each a cluster with its own rendered entry points.</summary>
    public static IReadOnlyList<string> Clusters => TenantCatalog.KnownEnvironments;

    public static string Namespaces(string cluster) => $"kubernetes/namespaces/{cluster}";

    public static string Projects(string cluster) => $"kubernetes/argocd/projects/{cluster}";

    public static string NetworkPolicies(string cluster) => $"kubernetes/network-policies/{cluster}";

    /// <summary>The tenant whitelist plus what the organization was granted.</summary>
    public static IReadOnlyList<TenantKind> KindsOf(Organization org) =>
        [.. Whitelist, .. org.Grants.Select(g => new TenantKind(g.Group, g.Kind, g.Resource))];

    /// <summary>The ClusterRole holding an organization's granted rights (bound only in its namespaces).</summary>
    public static string GrantsRole(Organization org) => $"platform-tenant-grants-{org.Name}";
}
