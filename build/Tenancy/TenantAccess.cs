using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Yaml;

namespace Platform.Build.Tenancy;

/// <summary>
/// The platform's own identities: the only ones the admission policies let
/// change a tenant namespace's labels and guardrails. Argo CD is never one of
/// them (it syncs tenants' repositories), nor is any group tenants belong to.
/// </summary>
public sealed record PlatformIdentities(IReadOnlyList<string> Groups, IReadOnlyList<string> Users)
{
    /// <summary>kubeadm's admin.conf identity (group kubeadm:cluster-admins since 1.29; system:masters before) and the platform team.</summary>
    public static readonly PlatformIdentities Default = new(["system:masters", "kubeadm:cluster-admins", "platform-admins"], []);

    /// <summary>
    /// Kubernetes' own controllers that must be able to remove a namespace's
    /// objects when the namespace itself is deleted (by the platform).
    /// </summary>
    public static readonly IReadOnlyList<string> ClusterControllers =
    [
        "system:serviceaccount:kube-system:namespace-controller",
        "system:serviceaccount:kube-system:generic-garbage-collector",
    ];

    /// <summary>ClusterRoles a tenant RoleBinding may never reference: each can change RBAC, guardrails or Secrets.</summary>
    public static readonly IReadOnlySet<string> NeverBindable = new HashSet<string>(StringComparer.Ordinal)
    {
        "cluster-admin", "admin", "edit", "system:aggregate-to-admin", "system:aggregate-to-edit", "platform-tenant-deployer",
    };

    /// <summary>The users the admission policies exempt: the catalog's and Kubernetes' namespace cleanup controllers.</summary>
    public IEnumerable<string> ExemptUsers => Users.Concat(ClusterControllers);
}

/// <summary>A kind beyond the tenant whitelist, granted to one organization with the reason (reviewed like any catalog change).</summary>
public sealed record KindGrant(string Group, string Kind, string Resource, string Reason)
{
    /// <summary>The only kinds that may be granted. Guardrails (quota, limits, policies, stores) and cluster-scoped kinds never are.</summary>
    public static readonly IReadOnlyDictionary<string, (string Group, string Resource)> Grantable = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["Role"] = ("rbac.authorization.k8s.io", "roles"),
        ["RoleBinding"] = ("rbac.authorization.k8s.io", "rolebindings"),
        ["Secret"] = (string.Empty, "secrets"),
    };

    public static KindGrant Read(YamlFields map)
    {
        var kind = map.RequiredString("kind", $"one of {string.Join(", ", Grantable.Keys)}");
        if (!Grantable.TryGetValue(kind, out var what))
        {
            throw map.Error("kind", $"'{kind}' cannot be granted to a tenant (guardrails and cluster-scoped kinds never are): grant one of {string.Join(", ", Grantable.Keys)}");
        }

        var reason = map.RequiredString("reason", "why the organization needs it, for the reviewer");
        if (reason.Trim().Length < 10)
        {
            throw map.Error("reason", "is too short to review: say why the organization needs this kind");
        }

        map.NoOtherKeys("kind", "reason");
        return new KindGrant(what.Group, kind, what.Resource, reason.Trim());
    }
}

/// <summary>
/// Hostnames in the catalog: exact names ("sso.example.com") or a domain with
/// everything under it ("*.org-a.example.com"). No name may be owned twice -
/// not by two organizations, not by an organization and the platform.
/// </summary>
public static partial class TenantHosts
{
    public static string Parse(YamlFields map, string field, string text, YamlNode node)
    {
        var name = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        if (text.StartsWith("*.", StringComparison.Ordinal) && !name.Contains('.', StringComparison.Ordinal))
        {
            throw map.ErrorAt(node, field, $"'{text}' would claim a whole top-level domain: name the organization's own domain, e.g. *.org-a.example.com");
        }

        if (!DnsName().IsMatch(name) || name.Length > 253)
        {
            throw map.ErrorAt(node, field, $"'{text}' is not a hostname (lowercase labels joined by '.') or '*.' and a domain: e.g. sso.example.com or *.org-a.example.com");
        }

        return text;
    }

    /// <summary>True when <paramref name="host"/> (an Ingress host, maybe "*.x") falls under <paramref name="owned"/>.</summary>
    public static bool Covers(string owned, string host)
    {
        if (!owned.StartsWith("*.", StringComparison.Ordinal))
        {
            return owned == host;
        }

        var domain = owned[1..]; // ".org-a.example.com"
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[1..] : host;
        return name.EndsWith(domain, StringComparison.Ordinal) && name.Length > domain.Length;
    }

    /// <summary>Two entries overlap when some name falls under both.</summary>
    public static bool Overlap(string a, string b) => a == b || Covers(a, b) || Covers(b, a);

    /// <summary>The organization (or "the platform") that owns a host, or null when nobody does.</summary>
    public static string? OwnerOf(TenantCatalog catalog, string host) =>
        catalog.Platform.Hosts.Any(h => Covers(h, host)) ? "the platform"
        : catalog.Organizations.FirstOrDefault(o => o.Hosts.Any(h => Covers(h, host)))?.Name;

    /// <summary>Refuses a catalog where two owners claim overlapping names.</summary>
    public static void CheckOwnership(YamlFields root, TenantCatalog catalog)
    {
        var owners = catalog.Platform.Hosts.Select(h => (Owner: "the platform", Host: h))
            .Concat(catalog.Organizations.SelectMany(o => o.Hosts.Select(h => (Owner: o.Name, Host: h)))).ToList();
        for (var i = 0; i < owners.Count; i++)
        {
            for (var j = i + 1; j < owners.Count; j++)
            {
                if (owners[i].Owner != owners[j].Owner && Overlap(owners[i].Host, owners[j].Host))
                {
                    throw root.Error("organizations",
                        $"host '{owners[j].Host}' of {owners[j].Owner} overlaps '{owners[i].Host}' of {owners[i].Owner}: each hostname has one owner, narrow one of them");
                }
            }
        }
    }

    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$")]
    private static partial Regex DnsName();
}
