using System.Text.RegularExpressions;
using k8s.Models;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;

namespace Platform.Build.Tenancy;

/// <summary>
/// kubernetes/tenants/tenants.yaml: the organizations of the platform and
/// their environments, from which namespaces, quotas, AppProjects and network
/// policies are rendered (<see cref="TenantRenderer"/>).
/// </summary>
public sealed partial record TenantCatalog(
    PlatformSettings Platform,
    IReadOnlyList<NamespaceSize> Sizes,
    IReadOnlyList<Organization> Organizations)
{
    public const string RelativePath = "kubernetes/tenants/tenants.yaml";

    /// <summary>Environments an organization may declare: the platform's own (Terraform environments and overlays).</summary>
    public static readonly IReadOnlyList<string> KnownEnvironments = PlatformEnvironments.All;

    /// <summary>Namespaces the platform owns; a tenant namespace may not take one of these names.</summary>
    public static readonly IReadOnlyList<string> ReservedNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease", "argocd"];

    public IEnumerable<string> TenantNamespaces => Organizations.SelectMany(o => o.Namespaces);

    /// <summary>
    /// The catalog as one cluster sees it: each organization with only the
    /// environments placed there (organizations with none left out). Everything
    /// rendered, checked or applied for a cluster comes from this view.
    /// </summary>
    public TenantCatalog ForCluster(string cluster) => this with
    {
        Organizations = [.. Organizations
            .Select(o => o with { Environments = [.. o.Environments.Where(e => e.Cluster == cluster)] })
            .Where(o => o.Environments.Count > 0)],
    };

    /// <summary>The cluster a tenant namespace is placed on, or null for a namespace no organization declares.</summary>
    public string? ClusterOf(string ns) =>
        Organizations.SelectMany(o => o.Environments.Select(e => (Ns: o.NamespaceOf(e), e.Cluster))).FirstOrDefault(p => p.Ns == ns).Cluster;

    /// <summary>The organization a tenant namespace belongs to, or null.</summary>
    public Organization? OwnerOf(string ns) => Organizations.FirstOrDefault(o => o.Namespaces.Contains(ns));

    public static TenantCatalog Load(string path, string displayPath) => Parse(File.ReadAllText(path), displayPath);

    public static TenantCatalog Parse(string text, string file)
    {
        var root = YamlFields.Root(file, text);
        var platform = ReadPlatform(root.RequiredMap("platform", "the repository, the cluster, the ingress controller and monitoring"));
        var sizes = root.RequiredNamedMaps("sizes", "at least one namespace size, e.g. small")
            .Select(s => ReadSize(s.Name, s.Fields, platform)).ToList();
        var entries = root.RequiredMaps("organizations", "one entry per organization")
            .Select(o => (Fields: o, Organization: ReadOrganization(o, sizes))).ToList();
        var organizations = entries.Select(e => e.Organization).ToList();
        root.NoOtherKeys("platform", "sizes", "organizations");

        // Named at the second entry, where the mistake is.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fields, organization) in entries.Where(e => !seen.Add(e.Organization.Name)))
        {
            throw fields.Error("name", $"'{organization.Name}' is declared twice (an earlier entry has it): give each organization one entry");
        }

        var catalog = new TenantCatalog(platform, sizes, organizations);
        TenantHosts.CheckOwnership(root, catalog);
        var clash = catalog.TenantNamespaces.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key
            ?? catalog.TenantNamespaces.FirstOrDefault(n => ReservedNamespaces.Contains(n) || n == platform.IngressController.Namespace || n == platform.Monitoring.Namespace);
        if (clash is not null)
        {
            throw root.Error("organizations", $"namespace '{clash}' would be used twice or is the platform's own: rename the organization");
        }

        return catalog;
    }

    private static PlatformSettings ReadPlatform(YamlFields map)
    {
        var repo = map.RequiredString("repoURL", "the Git repository Argo CD reads, e.g. https://github.com/example-org/platform.git");
        if (!IsRepoUrl(repo))
        {
            throw map.Error("repoURL", $"'{repo}' is not an https:// or ssh Git URL: give the repository's clone URL");
        }

        var server = map.OptionalString("server") ?? "https://kubernetes.default.svc";
        var ingress = ReadPodGroup(map.RequiredMap("ingressController", "the namespace and pod labels of the ingress controller"));
        var monitoring = ReadPodGroup(map.RequiredMap("monitoring", "the namespace and pod labels of Prometheus"));
        var defaults = map.RequiredMap("containerDefaults", "request and limit every container gets when it sets none");
        var request = ReadResources(defaults.RequiredMap("request", "e.g. {cpu: 100m, memory: 128Mi}"));
        var limit = ReadResources(defaults.RequiredMap("limit", "e.g. {cpu: 500m, memory: 512Mi}"));
        defaults.NoOtherKeys("request", "limit");
        if (Exceeds(request, limit) is { } over)
        {
            throw defaults.Error("request", $"{over} is above the limit: a default request must fit in the default limit");
        }

        var identities = ReadIdentities(map.OptionalMap("identities"));
        var bindable = map.OptionalStringNodes("bindableClusterRoles");
        foreach (var (role, node) in bindable)
        {
            if (PlatformIdentities.NeverBindable.Contains(role))
            {
                throw map.ErrorAt(node, "bindableClusterRoles", $"'{role}' can change RBAC or guardrails inside a namespace: list read-only roles such as view");
            }
        }

        var hosts = map.OptionalStringNodes("hosts").Select(h => TenantHosts.Parse(map, "hosts", h.Value, h.Node)).ToList();
        var issuers = map.OptionalStringNodes("clusterIssuers").Select(i => i.Value).ToList();
        map.NoOtherKeys("repoURL", "server", "ingressController", "monitoring", "containerDefaults", "identities", "bindableClusterRoles", "hosts", "clusterIssuers");
        return new PlatformSettings(repo, server, ingress, monitoring, request, limit)
        {
            Identities = identities,
            BindableClusterRoles = bindable.Count > 0 ? [.. bindable.Select(b => b.Value)] : ["view"],
            Hosts = hosts,
            ClusterIssuers = issuers.Count > 0 ? issuers : ["platform-letsencrypt"],
        };
    }

    private static PlatformIdentities ReadIdentities(YamlFields? map)
    {
        if (map is null)
        {
            return PlatformIdentities.Default;
        }

        var groups = map.OptionalStringNodes("groups").Select(g => g.Value).ToList();
        var users = map.OptionalStringNodes("users").Select(u => u.Value).ToList();
        map.NoOtherKeys("groups", "users");
        if (groups.Count + users.Count == 0)
        {
            throw map.Error("groups", "is empty: name the platform team's groups (e.g. platform-admins) or users");
        }

        var broad = groups.FirstOrDefault(g => g is "system:authenticated" or "system:serviceaccounts" or "system:unauthenticated" || g.StartsWith("system:serviceaccounts:", StringComparison.Ordinal));
        if (broad is not null)
        {
            throw map.Error("groups", $"'{broad}' holds tenants' identities too: name the platform team's own groups");
        }

        var controller = users.FirstOrDefault(u => u.StartsWith("system:serviceaccount:argocd:", StringComparison.Ordinal));
        if (controller is not null)
        {
            throw map.Error("users", $"'{controller}' is Argo CD, which syncs tenants' repositories: it must not be exempt from the tenant guardrails");
        }

        return new PlatformIdentities(groups, users);
    }

    private static PodGroup ReadPodGroup(YamlFields map)
    {
        var ns = map.RequiredString("namespace", "a namespace name");
        if (!IsDnsLabel(ns))
        {
            throw map.Error("namespace", $"'{ns}' is not a namespace name (lowercase letters, digits and '-', at most 63)");
        }

        var labels = map.RequiredStringMap("podLabels", "labels that select its pods, e.g. app.kubernetes.io/name: prometheus");
        map.NoOtherKeys("namespace", "podLabels");
        return new PodGroup(ns, labels);
    }

    private static Resources ReadResources(YamlFields map)
    {
        var cpu = Quantity(map, "cpu", "e.g. 500m or \"2\"");
        var memory = Quantity(map, "memory", "e.g. 512Mi");
        map.NoOtherKeys("cpu", "memory");
        return new Resources(cpu, memory);
    }

    private static NamespaceSize ReadSize(string name, YamlFields map, PlatformSettings platform)
    {
        if (!IsDnsLabel(name))
        {
            throw map.Error(string.Empty, $"size name '{name}' must be lowercase letters, digits and '-'");
        }

        var q = map.RequiredMap("quota", "the namespace's ResourceQuota");
        var quota = new Quota(
            Quantity(q, "requestsCpu", "total CPU requests, e.g. \"2\""),
            Quantity(q, "requestsMemory", "total memory requests, e.g. 4Gi"),
            Quantity(q, "limitsCpu", "total CPU limits, e.g. \"4\""),
            Quantity(q, "limitsMemory", "total memory limits, e.g. 8Gi"),
            q.RequiredInt("pods", "the most pods, e.g. 20"),
            q.RequiredInt("loadBalancers", "Services of type LoadBalancer, usually 0"),
            q.RequiredInt("nodePorts", "Services of type NodePort, usually 0"),
            q.RequiredInt("persistentVolumeClaims", "the most PVCs, e.g. 5"),
            Quantity(q, "requestsStorage", "total storage requested by PVCs, e.g. 20Gi"))
        {
            Objects = q.OptionalInt("objects") ?? 100,
        };
        q.NoOtherKeys();
        var max = ReadResources(map.RequiredMap("containerMax", "the largest container the namespace admits"));
        map.NoOtherKeys("quota", "containerMax");

        if (Exceeds(new Resources(quota.RequestsCpu, quota.RequestsMemory), new Resources(quota.LimitsCpu, quota.LimitsMemory)) is { } over)
        {
            throw q.Error("requestsCpu", $"requests ({over}) exceed limits: quota requests must fit in quota limits");
        }

        if (Exceeds(platform.DefaultLimit, max) is { } tooBig)
        {
            throw map.Error("containerMax", $"is below the default container limit ({tooBig}): raise it or lower platform.containerDefaults.limit");
        }

        if (Exceeds(max, new Resources(quota.LimitsCpu, quota.LimitsMemory)) is { } overQuota)
        {
            throw map.Error("containerMax", $"{overQuota} is above the namespace's quota limits: no such container could ever run");
        }

        return new NamespaceSize(name, quota, max);
    }

    private static Organization ReadOrganization(YamlFields map, IReadOnlyList<NamespaceSize> sizes)
    {
        var name = map.RequiredString("name", "the organization's short name, e.g. org-c");
        // Namespaces are <name>-<environment>: keep room for the longest environment within 63 characters.
        if (!IsDnsLabel(name) || name.Length > 58)
        {
            throw map.Error("name", $"'{name}' must be lowercase letters, digits and '-' (at most 58), starting with a letter");
        }

        // The rendered folders hold one folder per cluster beside base/ and overlays/.
        if (KnownEnvironments.Contains(name) || name is "base" or "overlays")
        {
            throw map.Error("name", $"'{name}' is the name of a cluster or a rendered folder: choose another name");
        }

        var description = map.RequiredString("description", "one line saying who the organization is");
        var groups = map.RequiredMap("groups", "the SSO groups of its admins and developers");
        var admins = groups.RequiredString("admins", $"the SSO group of {name}'s admins, e.g. {name}-admins");
        var developers = groups.RequiredString("developers", $"the SSO group of {name}'s developers, e.g. {name}-developers");
        groups.NoOtherKeys("admins", "developers");
        var repos = map.RequiredStrings("sourceRepos", "the Git repositories its Applications may use (no '*')");
        foreach (var repo in repos)
        {
            if (repo.Trim() is "*" or "**" || repo.StartsWith('!') || !IsRepoUrl(repo.Replace("*", "x", StringComparison.Ordinal)))
            {
                throw map.Error("sourceRepos", $"'{repo}' must be a Git URL (a glob inside the path is fine), not '*' or a negation: list the repositories");
            }
        }

        var environments = map.RequiredMaps("environments", "its environments, e.g. {name: dev, size: small}").Select(e =>
        {
            var env = e.RequiredString("name", "dev or prod");
            if (!KnownEnvironments.Contains(env))
            {
                throw e.Error("name", $"'{env}' is not an environment of the platform: use one of {string.Join(", ", KnownEnvironments)}");
            }

            var cluster = e.OptionalString("cluster") ?? env;
            if (!KnownEnvironments.Contains(cluster))
            {
                throw e.Error("cluster", $"'{cluster}' is not a cluster of the platform: use one of {string.Join(", ", KnownEnvironments)} (the Terraform environments)");
            }

            var sizeName = e.RequiredString("size", "one of the sizes");
            var size = sizes.FirstOrDefault(s => s.Name == sizeName)
                ?? throw e.Error("size", $"'{sizeName}' is not one of the sizes ({string.Join(", ", sizes.Select(s => s.Name))}): use one or add it under sizes");
            var egress = e.OptionalMaps("egress").Select(ReadEgress).ToList();
            if (egress.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } same)
            {
                throw e.Error("egress", $"'{same.Key}' is declared twice: give each allowance its own name");
            }

            e.NoOtherKeys("name", "size", "cluster", "egress");
            return new TenantEnvironment(env, size, egress) { Cluster = cluster };
        }).ToList();
        if (environments.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw map.Error("environments", $"'{twice.Key}' is listed twice: list each environment once");
        }

        var hosts = map.OptionalStringNodes("hosts").Select(h => TenantHosts.Parse(map, "hosts", h.Value, h.Node)).ToList();
        if (hosts.GroupBy(h => h).FirstOrDefault(g => g.Count() > 1) is { } again)
        {
            throw map.Error("hosts", $"'{again.Key}' is listed twice: list each host once");
        }

        var grants = map.OptionalMaps("grants").Select(KindGrant.Read).ToList();
        if (grants.GroupBy(g => g.Kind).FirstOrDefault(g => g.Count() > 1) is { } doubled)
        {
            throw map.Error("grants", $"'{doubled.Key}' is granted twice: grant each kind once");
        }

        map.NoOtherKeys("name", "description", "groups", "sourceRepos", "hosts", "grants", "environments");
        return new Organization(name, description, admins, developers, repos, environments) { Hosts = hosts, Grants = grants };
    }

    private static EgressAllowance ReadEgress(YamlFields map)
    {
        var name = map.RequiredString("name", "what it reaches, e.g. sso-database");
        if (!IsDnsLabel(name) || name.Length > 40)
        {
            throw map.Error("name", $"'{name}' must be lowercase letters, digits and '-' (at most 40): it names the policy allow-egress-<name>");
        }

        // Never a whole namespace: an exception names the pods that need it.
        var labels = map.RequiredStringMap("podLabels", "labels of the pods that need it, e.g. app.kubernetes.io/name: sso");
        var cidr = map.RequiredString("cidr", "the addresses it may reach, e.g. 10.20.200.0/24");
        if (!System.Net.IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || network.ToString() != cidr)
        {
            throw map.Error("cidr", $"'{cidr}' is not an IPv4 network in CIDR form with its host bits clear, e.g. 10.20.200.0/24");
        }

        if (network.PrefixLength < 16)
        {
            throw map.Error("cidr", $"'{cidr}' is wider than /16: an egress exception names one service's addresses, narrow it");
        }

        if (network.Contains(System.Net.IPAddress.Parse("169.254.169.254")))
        {
            throw map.Error("cidr", $"'{cidr}' holds the instance metadata address 169.254.169.254: tenants never reach it");
        }

        var protocol = map.OptionalString("protocol") ?? "TCP";
        if (protocol is not ("TCP" or "UDP"))
        {
            throw map.Error("protocol", $"'{protocol}' is not TCP or UDP");
        }

        var ports = map.RequiredStrings("ports", "the ports it may open, e.g. [5432]").Select(p =>
            int.TryParse(p, out var port) && port is > 0 and <= 65535
                ? port
                : throw map.Error("ports", $"'{p}' is not a port number (1-65535): list the ports, e.g. [5432]")).ToList();
        map.NoOtherKeys("name", "podLabels", "cidr", "protocol", "ports");
        return new EgressAllowance(name, labels, cidr, protocol, ports);
    }

    private static string Quantity(YamlFields map, string key, string hint)
    {
        var text = map.RequiredString(key, hint);
        try
        {
            _ = new ResourceQuantity(text).ToDecimal();
            return text;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw map.Error(key, $"'{text}' is not a Kubernetes quantity: write it like {hint.Replace("e.g. ", string.Empty, StringComparison.Ordinal)}");
        }
    }

    /// <summary>The first of cpu and memory where <paramref name="small"/> is above <paramref name="large"/>, or null.</summary>
    private static string? Exceeds(Resources small, Resources large) =>
        new ResourceQuantity(small.Cpu).ToDecimal() > new ResourceQuantity(large.Cpu).ToDecimal() ? $"cpu {small.Cpu} > {large.Cpu}"
        : new ResourceQuantity(small.Memory).ToDecimal() > new ResourceQuantity(large.Memory).ToDecimal() ? $"memory {small.Memory} > {large.Memory}"
        : null;

    public static bool IsDnsLabel(string text) => text.Length <= 63 && DnsLabel().IsMatch(text);

    private static bool IsRepoUrl(string text) => RepoUrl().IsMatch(text);

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^(https://[^\s/]+/\S+|ssh://\S+|git@[^\s:]+:\S+)$")]
    private static partial Regex RepoUrl();
}
