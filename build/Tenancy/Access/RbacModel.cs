using k8s.Models;

namespace Platform.Build.Tenancy.Access;

/// <summary>Who is asking: a user name and its groups, as the API server sees them.</summary>
public sealed record Subject(string User, IReadOnlyList<string> Groups)
{
    public static Subject ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]);

    public override string ToString() => User;
}

/// <summary>One API request as RBAC sees it: verb, group, resource (maybe "x/subresource"), namespace (null: cluster-scoped) and name.</summary>
public sealed record RbacRequest(string Verb, string Group, string Resource, string? Namespace, string? Name);

/// <summary>
/// Kubernetes RBAC, decided from the repository's rendered roles and bindings
/// plus the cluster's built-in ones (a dated table below): rules are unions of
/// allows, a RoleBinding grants only in its namespace, and creating a binding or
/// a role needs either the rights it hands out or the bind/escalate verb.
/// </summary>
public sealed class RbacModel
{
    private readonly Dictionary<string, List<V1PolicyRule>> _clusterRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Ns, string Name), List<V1PolicyRule>> _roles = [];
    private readonly List<(string? Ns, V1RoleRef Ref, IList<Rbacv1Subject> Subjects, string Name)> _bindings = [];
    private readonly ILookup<string, (string? Ns, V1RoleRef Ref, IList<Rbacv1Subject> Subjects, string Name)> _byNamespace;

    public RbacModel(IEnumerable<object> objects, bool withBuiltIns = true)
    {
        if (withBuiltIns)
        {
            foreach (var (name, rules) in BuiltIn.ClusterRoles)
            {
                _clusterRoles[name] = [.. rules];
            }

            foreach (var (role, subject) in BuiltIn.ClusterRoleBindings)
            {
                _bindings.Add((null, new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role }, [subject], $"built-in ClusterRoleBinding of {role}"));
            }
        }

        foreach (var item in objects)
        {
            switch (item)
            {
                case V1ClusterRole role:
                    _clusterRoles[role.Metadata.Name] = [.. role.Rules ?? []];
                    break;
                case V1Role role:
                    _roles[(role.Metadata.NamespaceProperty ?? string.Empty, role.Metadata.Name)] = [.. role.Rules ?? []];
                    break;
                case V1ClusterRoleBinding binding:
                    _bindings.Add((null, binding.RoleRef, binding.Subjects ?? [], $"ClusterRoleBinding {binding.Metadata.Name}"));
                    break;
                case V1RoleBinding binding:
                    _bindings.Add((binding.Metadata.NamespaceProperty ?? string.Empty, binding.RoleRef, binding.Subjects ?? [], $"RoleBinding {binding.Metadata.NamespaceProperty}/{binding.Metadata.Name}"));
                    break;
            }
        }

        _byNamespace = _bindings.ToLookup(b => b.Ns ?? string.Empty);
    }

    /// <summary>The rules that apply to <paramref name="subject"/> for a request in <paramref name="ns"/> (null: cluster-wide only).</summary>
    public IReadOnlyList<V1PolicyRule> RulesFor(Subject subject, string? ns) => [.. Grants(subject, ns).SelectMany(g => g.Rules)];

    /// <summary>Which binding (and role) gives <paramref name="subject"/> the right, for a finding to name; null when none does.</summary>
    public string? GrantedBy(Subject subject, RbacRequest request) =>
        Grants(subject, request.Namespace).Where(g => g.Rules.Any(r => Covers(r, request))).Select(g => g.Binding).FirstOrDefault();

    /// <summary>The bindings that apply to the subject in the namespace, each with its role's rules.</summary>
    private IEnumerable<(string Binding, IReadOnlyList<V1PolicyRule> Rules)> Grants(Subject subject, string? ns)
    {
        // Cluster-wide bindings, and the RoleBindings of the request's namespace only (indexed: catalogs grow).
        var candidates = _byNamespace[string.Empty].Where(b => b.Ns is null).Concat(ns is null ? [] : _byNamespace[ns]);
        foreach (var (bindingNs, roleRef, subjects, name) in candidates)
        {
            if ((bindingNs is not null && bindingNs != ns) || !subjects.Any(s => Matches(s, subject, bindingNs)))
            {
                continue;
            }

            var rules = roleRef.Kind == "ClusterRole"
                ? _clusterRoles.GetValueOrDefault(roleRef.Name) ?? []
                : bindingNs is null ? [] : _roles.GetValueOrDefault((bindingNs, roleRef.Name)) ?? [];
            yield return ($"{name} ({roleRef.Kind} {roleRef.Name})", rules);
        }
    }

    /// <summary>What the API server's RBAC authorizer would answer, including the escalation checks on roles and bindings.</summary>
    public bool Allows(Subject subject, RbacRequest request, V1RoleRef? bindingRoleRef = null, IEnumerable<V1PolicyRule>? roleRules = null)
    {
        var rules = RulesFor(subject, request.Namespace);
        if (!rules.Any(r => Covers(r, request)))
        {
            return false;
        }

        // Escalation prevention: a binding needs `bind` on its role or every right in it.
        if (bindingRoleRef is not null && request.Verb is "create" or "update" or "patch")
        {
            var bindRequest = new RbacRequest("bind", "rbac.authorization.k8s.io", bindingRoleRef.Kind == "ClusterRole" ? "clusterroles" : "roles", request.Namespace, bindingRoleRef.Name);
            return rules.Any(r => Covers(r, bindRequest)) || Holds(rules, RoleRules(bindingRoleRef, request.Namespace));
        }

        // A role needs `escalate` on roles or every right it grants.
        if (roleRules is not null && request.Verb is "create" or "update" or "patch")
        {
            var escalate = new RbacRequest("escalate", "rbac.authorization.k8s.io", request.Resource, request.Namespace, request.Name);
            return rules.Any(r => Covers(r, escalate)) || Holds(rules, roleRules.ToList());
        }

        return true;
    }

    /// <summary>The rules a role reference names (a ClusterRole, or a Role of the namespace).</summary>
    public IReadOnlyList<V1PolicyRule> RoleRules(V1RoleRef roleRef, string? ns) =>
        roleRef.Kind == "ClusterRole" ? _clusterRoles.GetValueOrDefault(roleRef.Name) ?? [] : _roles.GetValueOrDefault((ns ?? string.Empty, roleRef.Name)) ?? [];

    /// <summary>True when the holder's rules cover every right in <paramref name="wanted"/> (RBAC's coverage check).</summary>
    public static bool Holds(IReadOnlyList<V1PolicyRule> holder, IReadOnlyList<V1PolicyRule> wanted) =>
        wanted.All(w => Expand(w).All(atom => holder.Any(h => CoversRule(h, atom))));

    public static bool Covers(V1PolicyRule rule, RbacRequest request)
    {
        if (rule.NonResourceURLs is { Count: > 0 } && rule.Resources is not { Count: > 0 })
        {
            return false;
        }

        return In(rule.Verbs, request.Verb)
            && In(rule.ApiGroups, request.Group)
            && ResourceMatches(rule.Resources, request.Resource)
            && (rule.ResourceNames is not { Count: > 0 } || (request.Name is not null && rule.ResourceNames.Contains(request.Name)));
    }

    /// <summary>One rule split into single verb/group/resource rules (wildcards stay, and then need a wildcard to cover them).</summary>
    private static IEnumerable<V1PolicyRule> Expand(V1PolicyRule rule) =>
        from verb in rule.Verbs ?? []
        from grp in rule.ApiGroups ?? [string.Empty]
        from resource in rule.Resources ?? []
        select new V1PolicyRule { Verbs = [verb], ApiGroups = [grp], Resources = [resource], ResourceNames = rule.ResourceNames };

    private static bool CoversRule(V1PolicyRule holder, V1PolicyRule atom)
    {
        var verb = atom.Verbs[0];
        var group = atom.ApiGroups[0];
        var resource = atom.Resources[0];
        bool Wild(IList<string>? list, string value) => value == "*" ? list?.Contains("*") == true : In(list, value);
        var names = holder.ResourceNames is not { Count: > 0 } || (atom.ResourceNames is { Count: > 0 } && atom.ResourceNames.All(holder.ResourceNames.Contains));
        return Wild(holder.Verbs, verb) && Wild(holder.ApiGroups, group)
            && (resource == "*" ? holder.Resources?.Contains("*") == true : ResourceMatches(holder.Resources, resource)) && names;
    }

    private static bool In(IList<string>? list, string value) => list is not null && (list.Contains("*") || list.Contains(value));

    /// <summary>"*" matches all, "*/scale" any resource's subresource, "pods" only pods (not pods/exec).</summary>
    private static bool ResourceMatches(IList<string>? resources, string resource)
    {
        if (resources is null)
        {
            return false;
        }

        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        return resources.Any(r => r == "*" || r == resource || (slash > 0 && r == "*" + resource[slash..]));
    }

    private static bool Matches(Rbacv1Subject binding, Subject subject, string? bindingNs) => binding.Kind switch
    {
        "User" => binding.Name == subject.User,
        "Group" => subject.Groups.Contains(binding.Name),
        "ServiceAccount" => subject.User == $"system:serviceaccount:{binding.NamespaceProperty ?? bindingNs}:{binding.Name}",
        _ => false,
    };

    /// <summary>
    /// What every cluster of the platform has besides the repository's objects:
    /// Kubernetes 1.32's bootstrap roles and kubeadm's binding, and the argo-cd
    /// chart's controller binding (8.x: all verbs on all resources). Checked
    /// against the 1.32 bootstrap policy and argo-cd 8.1.3, 2026-12.
    /// </summary>
    public static class BuiltIn
    {
        public const string ArgoCdController = "system:serviceaccount:argocd:argocd-application-controller";

        private static readonly string[] Read = ["get", "list", "watch"];
        private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];

        private static V1PolicyRule Rule(string[] verbs, string group, params string[] resources) =>
            new() { Verbs = verbs, ApiGroups = [group], Resources = resources };

        private static readonly V1PolicyRule[] ViewRules =
        [
            Rule(Read, string.Empty, "configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "serviceaccounts", "services", "limitranges", "resourcequotas", "events", "namespaces"),
            Rule(Read, "apps", "deployments", "statefulsets", "daemonsets", "replicasets"),
            Rule(Read, "batch", "jobs", "cronjobs"),
            Rule(Read, "networking.k8s.io", "ingresses", "networkpolicies"),
            Rule(Read, "policy", "poddisruptionbudgets"),
            Rule(Read, "autoscaling", "horizontalpodautoscalers"),
        ];

        // edit: view plus writes of workloads, Secrets and network policies, and acting as the namespace's ServiceAccounts.
        private static readonly V1PolicyRule[] EditRules =
        [
            .. ViewRules,
            Rule([.. Read, .. Write], string.Empty, "configmaps", "endpoints", "persistentvolumeclaims", "pods", "replicationcontrollers", "serviceaccounts", "services", "secrets"),
            Rule(["create"], string.Empty, "serviceaccounts/token", "pods/exec", "pods/attach", "pods/portforward"),
            Rule(["impersonate"], string.Empty, "serviceaccounts"),
            Rule([.. Read, .. Write], "apps", "deployments", "statefulsets", "daemonsets", "replicasets"),
            Rule([.. Read, .. Write], "batch", "jobs", "cronjobs"),
            Rule([.. Read, .. Write], "networking.k8s.io", "ingresses", "networkpolicies"),
            Rule([.. Read, .. Write], "policy", "poddisruptionbudgets"),
            Rule([.. Read, .. Write], "autoscaling", "horizontalpodautoscalers"),
        ];

        // admin: edit plus Roles and RoleBindings in the namespace.
        private static readonly V1PolicyRule[] AdminRules =
        [
            .. EditRules,
            Rule([.. Read, .. Write], "rbac.authorization.k8s.io", "roles", "rolebindings"),
            Rule(["create"], "authorization.k8s.io", "localsubjectaccessreviews"),
        ];

        public static readonly IReadOnlyDictionary<string, V1PolicyRule[]> ClusterRoles = new Dictionary<string, V1PolicyRule[]>(StringComparer.Ordinal)
        {
            ["cluster-admin"] = [Rule(["*"], "*", "*")],
            ["admin"] = AdminRules,
            ["edit"] = EditRules,
            ["view"] = ViewRules,
            ["argocd-application-controller"] = [Rule(["*"], "*", "*")],
        };

        public static readonly IReadOnlyList<(string Role, Rbacv1Subject Subject)> ClusterRoleBindings =
        [
            ("cluster-admin", new Rbacv1Subject { Kind = "Group", Name = "system:masters", ApiGroup = "rbac.authorization.k8s.io" }),
            ("cluster-admin", new Rbacv1Subject { Kind = "Group", Name = "kubeadm:cluster-admins", ApiGroup = "rbac.authorization.k8s.io" }),
            ("argocd-application-controller", new Rbacv1Subject { Kind = "ServiceAccount", Name = "argocd-application-controller", NamespaceProperty = "argocd" }),
        ];
    }
}
