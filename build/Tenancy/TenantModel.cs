namespace Platform.Build.Tenancy;

/// <summary>Pods selected by labels in one namespace (the ingress controller, the monitoring stack).</summary>
public sealed record PodGroup(string Namespace, IReadOnlyDictionary<string, string> PodLabels);

public sealed record Resources(string Cpu, string Memory);

/// <summary>The ResourceQuota of a namespace size.</summary>
public sealed record Quota(
    string RequestsCpu,
    string RequestsMemory,
    string LimitsCpu,
    string LimitsMemory,
    int Pods,
    int LoadBalancers,
    int NodePorts,
    int PersistentVolumeClaims,
    string RequestsStorage)
{
    /// <summary>The most objects of each countable kind (ConfigMaps, Secrets, Services, Ingresses, Jobs...): stops a tenant filling etcd or the ingress controller.</summary>
    public int Objects { get; init; } = 100;
}

public sealed record NamespaceSize(string Name, Quota Quota, Resources ContainerMax);

public sealed record PlatformSettings(
    string RepoUrl,
    string Server,
    PodGroup IngressController,
    PodGroup Monitoring,
    Resources DefaultRequest,
    Resources DefaultLimit)
{
    /// <summary>Who may change tenant guardrails and namespace labels (the admission policies exempt only these).</summary>
    public PlatformIdentities Identities { get; init; } = PlatformIdentities.Default;

    /// <summary>ClusterRoles a RoleBinding in a tenant namespace may reference (when an organization is granted RoleBinding).</summary>
    public IReadOnlyList<string> BindableClusterRoles { get; init; } = ["view"];

    /// <summary>Hostnames the platform serves itself (Argo CD, Grafana): no tenant may claim them.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>The cert-manager ClusterIssuers a tenant Ingress may ask for (never an internal CA's).</summary>
    public IReadOnlyList<string> ClusterIssuers { get; init; } = ["platform-letsencrypt"];
}

/// <summary>
/// A reviewed exception to a namespace's default-deny egress: pods with these
/// labels may open these ports on addresses in this CIDR, outside the cluster
/// (a managed database, say). Declared in the catalog, so the platform team
/// reviews it; tenants cannot ship NetworkPolicies themselves.
/// </summary>
public sealed record EgressAllowance(string Name, IReadOnlyDictionary<string, string> PodLabels, string Cidr, string Protocol, IReadOnlyList<int> Ports)
{
    /// <summary>The policy that carries it, in its namespace.</summary>
    public string PolicyName => $"allow-egress-{Name}";
}

public sealed record TenantEnvironment(string Name, NamespaceSize Size, IReadOnlyList<EgressAllowance> Egress)
{
    /// <summary>The platform environment (cluster) the namespace lives on: by default the one of the same name.</summary>
    public string Cluster { get; init; } = Name;

    /// <summary>The value of the <c>environment</c> label, as the seed writes it.</summary>
    public string Label => Name switch
    {
        "prod" => "production",
        "dev" => "development",
        _ => Name,
    };
}

public sealed record Organization(
    string Name,
    string Description,
    string AdminsGroup,
    string DevelopersGroup,
    IReadOnlyList<string> SourceRepos,
    IReadOnlyList<TenantEnvironment> Environments)
{
    /// <summary>Hostnames it may serve: exact names, or "*.domain" for every name under a domain.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Kinds beyond the tenant whitelist that the platform team granted it, each with the reason.</summary>
    public IReadOnlyList<KindGrant> Grants { get; init; } = [];

    public string NamespaceOf(TenantEnvironment environment) => $"{Name}-{environment.Name}";

    public IEnumerable<string> Namespaces => Environments.Select(NamespaceOf);
}
