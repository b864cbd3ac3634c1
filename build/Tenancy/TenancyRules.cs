using k8s.Models;
using Platform.Build.Core.Audit;
using Rule = Platform.Build.Core.Audit.Rule;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Tenancy;

/// <summary>What the tenancy rules read for one cluster: its tenants and the rendered namespaces, policies, projects and guardrails.</summary>
public sealed record TenancyRender(string Cluster, TenantCatalog Catalog, IReadOnlyList<Manifest> Namespaces, IReadOnlyList<Manifest> NetworkPolicies,
    IReadOnlyList<Manifest> Projects, IReadOnlyList<Manifest> Guardrails);

/// <summary>
/// The audit's multi-tenancy rules: the kubectl-mtb benchmarks the rendered
/// tenancy shows (profile level 1), on every tenant namespace of every
/// cluster. The objects are the generated files; the fix is in
/// kubernetes/tenants/tenants.yaml or the renderer, then `--target=Tenants`.
/// </summary>
public static class TenancyRules
{
    private static Rule R(string id, string title, Severity severity, string fix, params string[] refs) => new(id, title, severity, AuditSource.Manifests, fix, refs);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        R("MTB-001", "Tenant namespaces enforce the restricted Pod Security profile", Severity.Critical, "label the namespace pod-security.kubernetes.io/enforce: restricted (the renderer does)",
            "mtb:block-privileged-containers", "mtb:block-add-capabilities", "mtb:require-run-as-non-root-user", "mtb:block-privilege-escalation", "mtb:block-host-path", "mtb:block-host-networking-ports", "mtb:block-host-pid", "mtb:block-host-ipc"),
        R("MTB-002", "Pod Security is not pinned to an old version", Severity.Low, "remove pod-security.kubernetes.io/enforce-version or set latest"),
        R("MTB-003", "Tenant namespaces have a quota of CPU and memory requests and limits", Severity.High, "give the namespace a ResourceQuota with requests.cpu, requests.memory, limits.cpu and limits.memory", "mtb:configure-namespace-resource-quotas", "AVD-KSV-0040"),
        R("MTB-004", "Tenant namespaces have object-count quotas", Severity.Medium, "quote pods, services, configmaps, secrets and persistentvolumeclaims", "mtb:configure-namespace-object-quotas"),
        R("MTB-005", "Tenants create no NodePort services", Severity.High, "set services.nodeports: \"0\" in the quota", "mtb:block-nodeport-services"),
        R("MTB-006", "Tenants cannot use existing persistent volumes", Severity.High, "grant tenants nothing on persistentvolumes", "mtb:block-use-of-existing-persistent-volumes"),
        R("MTB-007", "Tenants reach no cluster-scoped resource", Severity.Critical, "bind tenant subjects with RoleBindings only, to roles over namespaced resources", "mtb:block-access-to-cluster-resources"),
        R("MTB-008", "A tenant namespace binds only its own subjects", Severity.Critical, "bind the namespace's own platform-deployer or its organization's groups", "mtb:block-multitenant-resource-access"),
        R("MTB-009", "Tenants cannot change their quota, limits, policies or RBAC, nor escalate", Severity.Critical, "remove resourcequotas, limitranges, networkpolicies, roles, rolebindings, secrets and the escalate, bind and impersonate verbs from the deployer role", "mtb:block-modification-of-resource-quotas"),
        R("MTB-010", "Tenant namespaces deny all traffic by default", Severity.High, "add a NetworkPolicy with an empty podSelector and policyTypes Ingress and Egress", "mtb:create-network-policies"),
        R("MTB-011", "Each tenant's AppProject deploys only into its namespaces and creates no cluster-scoped object", Severity.Critical, "leave clusterResourceWhitelist empty and list only the organization's namespaces as destinations"),
        R("MTB-012", "Tenant namespaces give containers default requests and limits", Severity.Medium, "add a LimitRange with default and defaultRequest", "kube-score:container-resources"),
        R("MTB-013", "The deployer account mounts no token", Severity.Low, "set automountServiceAccountToken: false on platform-deployer"),
    ];

    private static readonly string[] Protected = ["resourcequotas", "limitranges", "networkpolicies", "roles", "rolebindings", "clusterroles", "clusterrolebindings", "secrets", "namespaces"];

    public static RuleSet For(IReadOnlyList<TenancyRender> renders, SourceIndex sources) => new("tenancy", Rules, () => renders.SelectMany(r => Check(r, sources)));

    private static IEnumerable<Finding> Check(TenancyRender render, SourceIndex sources)
    {
        var catalog = render.Catalog.ForCluster(render.Cluster);
        var folder = TenantLayout.Namespaces(render.Cluster);
        Finding F(string rule, string subject, string problem, string? file = null, string? text = null) =>
            new(rule, $"{render.Cluster}: {subject}", problem, sources.In(file ?? folder, text));
        string FileOf(string ns) => $"{folder}/{ns}.yaml";
        var roles = render.Guardrails.Concat(render.Namespaces).Select(m => m.Object).OfType<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);
        foreach (var org in catalog.Organizations)
        {
            foreach (var ns in org.Namespaces)
            {
                var objects = render.Namespaces.Where(m => m.Namespace == ns || (m.Object is V1Namespace && m.Name == ns)).ToList();
                var labels = new Dictionary<string, string>(objects.Select(m => m.Object).OfType<V1Namespace>().FirstOrDefault()?.Metadata.Labels ?? new Dictionary<string, string>());
                if (labels.GetValueOrDefault("pod-security.kubernetes.io/enforce") != "restricted")
                {
                    yield return F("MTB-001", $"Namespace/{ns}", $"enforces Pod Security '{labels.GetValueOrDefault("pod-security.kubernetes.io/enforce") ?? "none"}': privileged, root or host-sharing pods are admitted", FileOf(ns), "pod-security");
                }

                if (labels.GetValueOrDefault("pod-security.kubernetes.io/enforce-version") is { } version && version != "latest")
                {
                    yield return F("MTB-002", $"Namespace/{ns}", $"enforces the profile of Kubernetes {version}: newer checks are skipped", FileOf(ns), "enforce-version");
                }

                var hard = objects.Select(m => m.Object).OfType<V1ResourceQuota>().SelectMany(q => q.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>())
                    .GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.First().Value.ToString());
                var resources = new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" }.Where(k => !hard.ContainsKey(k)).ToList();
                if (resources.Count > 0)
                {
                    yield return F("MTB-003", $"Namespace/{ns}", $"no quota of {string.Join(", ", resources)}: one tenant can take the cluster's capacity", FileOf(ns), "ResourceQuota");
                }

                var counts = new[] { "pods", "services", "count/configmaps", "count/secrets", "persistentvolumeclaims" }.Where(k => !hard.ContainsKey(k)).ToList();
                if (counts.Count > 0)
                {
                    yield return F("MTB-004", $"Namespace/{ns}", $"no quota of {string.Join(", ", counts)}: a tenant can fill etcd", FileOf(ns), "ResourceQuota");
                }

                if (hard.GetValueOrDefault("services.nodeports") != "0")
                {
                    yield return F("MTB-005", $"Namespace/{ns}", $"services.nodeports is {hard.GetValueOrDefault("services.nodeports") ?? "not quoted"}: a NodePort opens a port on every node", FileOf(ns), "services.nodeports");
                }

                if (!objects.Select(m => m.Object).OfType<V1LimitRange>().Any(l => l.Spec.Limits.Any(i => i.Type == "Container" && i.DefaultProperty is { Count: > 0 } && i.DefaultRequest is { Count: > 0 })))
                {
                    yield return F("MTB-012", $"Namespace/{ns}", "no LimitRange gives containers default requests and limits: pods without them are refused by the quota", FileOf(ns), "LimitRange");
                }

                foreach (var account in objects.Select(m => m.Object).OfType<V1ServiceAccount>().Where(a => a.Metadata.Name == "platform-deployer" && a.AutomountServiceAccountToken != false))
                {
                    yield return F("MTB-013", $"ServiceAccount/platform-deployer in {ns}", "mounts a token into any pod that names it", FileOf(ns), "platform-deployer");
                }

                foreach (var binding in objects.Select(m => m.Object).OfType<V1RoleBinding>())
                {
                    var foreign = (binding.Subjects ?? []).Where(s => !(s.Kind == "ServiceAccount" && s.NamespaceProperty == ns)
                        && !(s.Kind == "Group" && (s.Name == org.AdminsGroup || s.Name == org.DevelopersGroup))).ToList();
                    foreach (var subject in foreign)
                    {
                        yield return F("MTB-008", $"RoleBinding/{binding.Metadata.Name} in {ns}", $"binds {subject.Kind} {subject.Name}{(subject.NamespaceProperty is null ? string.Empty : $" of {subject.NamespaceProperty}")}, which is not this namespace's", FileOf(ns), "RoleBinding");
                    }

                    if (binding.RoleRef.Kind == "ClusterRole" && roles.TryGetValue(binding.RoleRef.Name, out var role))
                    {
                        foreach (var finding in Grants(role, ns, F))
                        {
                            yield return finding;
                        }
                    }
                    else
                    {
                        // A role the render does not hold (cluster-admin, admin, edit, a Role made elsewhere) cannot be checked: it is refused.
                        yield return F("MTB-009", $"RoleBinding/{binding.Metadata.Name} in {ns}", $"binds {binding.RoleRef.Kind} {binding.RoleRef.Name}, whose rights the render does not show (cluster-admin, admin and edit can change quotas, policies and RBAC)", FileOf(ns), "RoleBinding");
                    }
                }

                var policies = render.NetworkPolicies.Where(m => m.Namespace == ns).Select(m => m.Object).OfType<V1NetworkPolicy>().ToList();
                if (!policies.Any(p => (p.Spec.PodSelector?.MatchLabels is null or { Count: 0 }) && (p.Spec.PodSelector?.MatchExpressions is null or { Count: 0 })
                    && (p.Spec.PolicyTypes ?? []).Contains("Ingress") && (p.Spec.PolicyTypes ?? []).Contains("Egress") && p.Spec.Ingress is null or { Count: 0 } && p.Spec.Egress is null or { Count: 0 }))
                {
                    yield return F("MTB-010", $"Namespace/{ns}", "no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules): other tenants' pods reach it", "kubernetes/network-policies/base/default-deny.yaml");
                }
            }

            var projectFile = $"{TenantLayout.Projects(render.Cluster)}/{org.Name}-project.yaml";
            foreach (var project in render.Projects.Select(m => m.Object).OfType<AppProject>().Where(p => p.Metadata.Name == org.Name))
            {
                if (project.Spec.ClusterResourceWhitelist is { Count: > 0 } whitelist)
                {
                    yield return F("MTB-011", $"AppProject/{org.Name}", $"may create cluster-scoped {string.Join(", ", whitelist.Select(k => k.Kind))}", projectFile, "clusterResourceWhitelist");
                }

                foreach (var destination in (project.Spec.Destinations ?? []).Where(d => !org.Namespaces.Contains(d.Namespace ?? string.Empty)))
                {
                    yield return F("MTB-011", $"AppProject/{org.Name}", $"may deploy into {destination.Namespace ?? "any namespace"}, which is not {org.Name}'s", projectFile, "destinations");
                }
            }
        }

        foreach (var binding in render.Namespaces.Concat(render.Guardrails).Select(m => m.Object).OfType<V1ClusterRoleBinding>())
        {
            // A tenant's accounts, its groups, or a group every tenant is in (all service accounts, every signed-in user).
            foreach (var subject in (binding.Subjects ?? []).Where(s => catalog.TenantNamespaces.Contains(s.NamespaceProperty ?? string.Empty)
                || catalog.Organizations.Any(o => s.Name == o.AdminsGroup || s.Name == o.DevelopersGroup)
                || s.Kind == "Group" && (s.Name is "system:serviceaccounts" or "system:authenticated" or "system:unauthenticated"
                    || catalog.TenantNamespaces.Any(ns => s.Name == $"system:serviceaccounts:{ns}"))))
            {
                yield return F("MTB-007", $"ClusterRoleBinding/{binding.Metadata.Name}", $"binds tenant {subject.Kind} {subject.Name} cluster-wide", "kubernetes/guardrails", binding.Metadata.Name);
            }
        }
    }

    /// <summary>What a ClusterRole bound in a tenant namespace grants that it must not.</summary>
    private static IEnumerable<Finding> Grants(V1ClusterRole role, string ns, Func<string, string, string, string?, string?, Finding> finding)
    {
        const string file = "kubernetes/guardrails/deployer-clusterrole.yaml";
        foreach (var rule in role.Rules ?? [])
        {
            var resources = rule.Resources ?? [];
            var verbs = rule.Verbs ?? [];
            var subject = $"ClusterRole/{role.Metadata.Name} bound in {ns}";
            if (resources.Contains("persistentvolumes") || resources.Contains("*"))
            {
                yield return finding("MTB-006", subject, $"grants {string.Join(", ", verbs)} on {(resources.Contains("*") ? "every resource" : "persistentvolumes")}", file, "resources");
            }

            if ((rule.NonResourceURLs ?? []).Count > 0 || resources.Any(r => r is "nodes" or "namespaces" or "clusterroles" or "persistentvolumes" or "storageclasses" or "customresourcedefinitions"))
            {
                yield return finding("MTB-007", subject, $"names cluster-scoped {string.Join(", ", resources.Concat(rule.NonResourceURLs ?? []))}", file, "resources");
            }

            var touched = resources.Where(r => r == "*" || Protected.Contains(r)).ToList();
            var escalating = verbs.Where(v => v is "escalate" or "bind" or "impersonate" or "*").ToList();
            if (touched.Count > 0 || escalating.Count > 0)
            {
                yield return finding("MTB-009", subject, $"grants {string.Join(", ", escalating.Count > 0 ? escalating : verbs)} on {string.Join(", ", touched.Count > 0 ? touched : resources)}", file, "resources");
            }
        }
    }
}
