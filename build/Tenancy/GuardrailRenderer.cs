using System.Text;
using System.Text.Json;

namespace Platform.Build.Tenancy;

/// <summary>
/// Renders kubernetes/guardrails/: the deployer's ClusterRole (what Argo CD may
/// do in a tenant namespace when it syncs as the tenant) and the admission
/// policies (ValidatingAdmissionPolicy, built into Kubernetes 1.30+) that hold
/// whatever identity asks: namespace labels, guardrail objects, RoleBindings,
/// ServiceAccount tokens and hostnames. One renderer, so it stays whole.
/// </summary>
public static class GuardrailRenderer
{
    public const string NamespaceLabelsPolicy = "platform-tenant-namespace-labels";
    public const string GuardrailsPolicy = "platform-tenant-guardrails";
    public const string RbacPolicy = "platform-tenant-rbac";
    public const string HostsPolicy = "platform-tenant-hosts";
    public const string WorkloadsPolicy = "platform-tenant-workloads";
    public const string SecretsPolicy = "platform-tenant-external-secrets";

    /// <summary>Every policy the renderer writes (the checks expect each, bound).</summary>
    public static readonly IReadOnlyList<string> Policies = [NamespaceLabelsPolicy, GuardrailsPolicy, RbacPolicy, HostsPolicy, WorkloadsPolicy, SecretsPolicy];

    /// <summary>ingress-nginx annotations a tenant Ingress may carry; the rest (server-alias, snippets, cross-namespace Secrets) could serve or read what is not its own.</summary>
    public static readonly IReadOnlyList<string> IngressAnnotations =
    [
        "nginx.ingress.kubernetes.io/ssl-redirect", "nginx.ingress.kubernetes.io/force-ssl-redirect", "nginx.ingress.kubernetes.io/proxy-body-size",
        "nginx.ingress.kubernetes.io/proxy-read-timeout", "nginx.ingress.kubernetes.io/proxy-send-timeout", "nginx.ingress.kubernetes.io/backend-protocol",
    ];

    private static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    public static IReadOnlyList<(string Name, string Text)> Render(TenantCatalog catalog)
    {
        var files = new List<(string, string)>
        {
            ("deployer-clusterrole.yaml", DeployerRole()),
            ("admission-namespace-labels.yaml", NamespaceLabels(catalog)),
            ("admission-guardrails.yaml", Guardrails(catalog)),
            ("admission-rbac.yaml", Rbac(catalog)),
            ("admission-hosts.yaml", Hosts(catalog)),
            ("admission-workloads.yaml", Workloads(catalog)),
            ("admission-external-secrets.yaml", ExternalSecrets(catalog)),
        };
        files.AddRange(catalog.Organizations.Where(o => o.Grants.Count > 0).Select(o => ($"grants-{o.Name}.yaml", GrantsRole(catalog, o))));
        return files;
    }

    /// <summary>The match condition every policy shares: it applies to everyone but the platform's identities.</summary>
    public static string NotThePlatform(TenantCatalog catalog)
    {
        var identities = catalog.Platform.Identities;
        return $"!(request.userInfo.username in {List(identities.ExemptUsers)}\n  || request.userInfo.groups.exists(g, g in {List(identities.Groups)}))";
    }

    private static string DeployerRole() => TenantRenderer.Header + $$"""
        # What Argo CD may do when it syncs a tenant namespace as that namespace's
        # {{TenantLayout.Deployer}} (bound by a RoleBinding there): the tenant kinds, nothing else.
        # No roles, bindings, secrets, namespaces, quotas, limit ranges or policies; no
        # escalate, bind or impersonate.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: {{TenantLayout.DeployerRole}}
          labels:
            app.kubernetes.io/managed-by: platform-build
        rules:
        {{Rules(TenantLayout.Whitelist)}}

        """;

    private static string GrantsRole(TenantCatalog catalog, Organization org)
    {
        var granted = org.Grants.Select(g => new TenantKind(g.Group, g.Kind, g.Resource)).ToList();
        var text = new StringBuilder(TenantRenderer.Header);
        text.Append($$"""
            # Kinds granted to {{org.Name}} beyond the tenant whitelist, with the reasons from the catalog:
            {{string.Join("\n", org.Grants.Select(g => $"#   {g.Kind}: {g.Reason}"))}}
            # Bound only in {{org.Name}}'s namespaces. Creating a RoleBinding also needs `bind` on the role it names:
            # only the platform's bindable ClusterRoles and the namespace's own Roles.
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: {{TenantLayout.GrantsRole(org)}}
              labels:
                app.kubernetes.io/managed-by: platform-build
                organization: {{org.Name}}
            rules:
            {{Rules(granted)}}

            """);
        if (org.Grants.Any(g => g.Kind == "RoleBinding"))
        {
            text.Append($$"""
                  - apiGroups: ["rbac.authorization.k8s.io"]
                    resources: ["clusterroles"]
                    resourceNames: [{{string.Join(", ", catalog.Platform.BindableClusterRoles.Select(Q))}}]
                    verbs: ["bind"]
                  - apiGroups: ["rbac.authorization.k8s.io"]
                    resources: ["roles"]
                    verbs: ["bind"]

                """);
        }

        return text.ToString();
    }

    private static string NamespaceLabels(TenantCatalog catalog) => Policy(catalog, NamespaceLabelsPolicy,
        "Only the platform changes a tenant namespace's Pod Security, organization and environment labels, or deletes it.",
        // namespaces/status keeps labels the status strategy does not reset: it must be guarded too.
        [("", "namespaces, namespaces/status", "CREATE, UPDATE, DELETE")],
        namespaceSelector: false,
        variables:
        [
            ("newLabels", "object != null && has(object.metadata.labels) ? object.metadata.labels : {}"),
            ("oldLabels", "oldObject != null && has(oldObject.metadata.labels) ? oldObject.metadata.labels : {}"),
        ],
        [
            ("!('organization' in variables.oldLabels || 'organization' in variables.newLabels)\n"
                + "|| (!variables.newLabels.exists(k, (k.startsWith('pod-security.kubernetes.io/') || k in ['organization', 'environment'])\n"
                + "      && !(k in variables.oldLabels && variables.oldLabels[k] == variables.newLabels[k]))\n"
                + "    && !variables.oldLabels.exists(k, (k.startsWith('pod-security.kubernetes.io/') || k in ['organization', 'environment'])\n"
                + "      && !(k in variables.newLabels)))",
                "a tenant namespace's pod-security.kubernetes.io/*, organization and environment labels are the platform's: change them in kubernetes/tenants/tenants.yaml"),
        ]);

    private static string Guardrails(TenantCatalog catalog) => Policy(catalog, GuardrailsPolicy,
        "Only the platform creates, changes or deletes quota, limits, network policies and secret stores in a tenant namespace, or its platform-* accounts and bindings.",
        [
            ("", "resourcequotas, resourcequotas/status, limitranges, serviceaccounts", "CREATE, UPDATE, DELETE"),
            ("networking.k8s.io", "networkpolicies", "CREATE, UPDATE, DELETE"),
            ("cilium.io", "ciliumnetworkpolicies", "CREATE, UPDATE, DELETE"),
            ("external-secrets.io", "secretstores", "CREATE, UPDATE, DELETE"),
            ("rbac.authorization.k8s.io", "roles, rolebindings", "CREATE, UPDATE, DELETE"),
        ],
        namespaceSelector: true,
        variables:
        [
            ("name", "object != null\n? (has(object.metadata.name) && object.metadata.name != '' ? object.metadata.name\n  : has(object.metadata.generateName) ? object.metadata.generateName : '')\n: oldObject.metadata.name"),
        ],
        [
            ($"!(request.resource.resource in {List(TenantLayout.GuardrailKinds.Select(k => k.Resource))})",
                "quota, limit ranges, network policies and secret stores in a tenant namespace are the platform's: ask the platform team (kubernetes/tenants/tenants.yaml)"),
            // The name from the object: with generateName, request.name is still empty at admission.
            ($"!(request.resource.resource in ['serviceaccounts', 'roles', 'rolebindings']\n  && variables.name.startsWith('{TenantLayout.PlatformPrefix}'))",
                $"{TenantLayout.PlatformPrefix}* accounts, roles and bindings in a tenant namespace are the platform's"),
        ]);

    private static string Rbac(TenantCatalog catalog) => Policy(catalog, RbacPolicy,
        "In a tenant namespace: RoleBindings name only the namespace's Roles or the platform's bindable ClusterRoles; no ServiceAccount token Secrets; TLS Secrets from cert-manager only; no pod runs as the deployer.",
        [
            ("rbac.authorization.k8s.io", "rolebindings", "CREATE, UPDATE"),
            ("", "secrets", "CREATE, UPDATE"),
            ("", "pods", "CREATE"),
        ],
        namespaceSelector: true,
        variables: [],
        [
            ($"request.resource.resource != 'rolebindings' || object.roleRef.kind == 'Role'\n|| object.roleRef.name in {List(catalog.Platform.BindableClusterRoles)}",
                $"a RoleBinding in a tenant namespace may reference only its own Roles or the ClusterRoles {string.Join(", ", catalog.Platform.BindableClusterRoles)}"),
            ("request.resource.resource != 'secrets' || !has(object.type) || object.type != 'kubernetes.io/service-account-token'",
                "ServiceAccount token Secrets mint another account's credentials: use projected tokens"),
            ($"request.resource.resource != 'secrets' || !has(object.type) || object.type != 'kubernetes.io/tls'\n|| request.userInfo.username == '{TenantLayout.CertificateIssuer}'",
                "TLS Secrets in a tenant namespace come from cert-manager, for the hosts of its Ingresses: a Secret brought along could carry a certificate for a host the organization does not own"),
            ($"request.resource.resource != 'pods' || ((!has(object.spec.serviceAccountName) || object.spec.serviceAccountName != '{TenantLayout.Deployer}')\n"
                + $"    && (!has(object.spec.serviceAccount) || object.spec.serviceAccount != '{TenantLayout.Deployer}'))",
                $"pods may not run as {TenantLayout.Deployer}: it is Argo CD's identity for this namespace"),
        ]);

    private static string Hosts(TenantCatalog catalog)
    {
        // Per organization: exact names, and ".domain" for "*.domain" (any name under it).
        var owned = string.Join(",\n", catalog.Organizations.Select(o =>
            $"  '{o.Name}': {List(o.Hosts.Select(h => h.StartsWith("*.", StringComparison.Ordinal) ? h[1..] : h))}"));
        return Policy(catalog, HostsPolicy,
            "An Ingress in a tenant namespace serves only hosts its organization owns (kubernetes/tenants/tenants.yaml); no catch-all rules or default backends.",
            [("networking.k8s.io", "ingresses", "CREATE, UPDATE")],
            namespaceSelector: true,
            variables:
            [
                ("owned", $"{{\n{owned}\n}}[namespaceObject.metadata.labels['organization']]"),
            ],
            [
                ("!has(object.spec.defaultBackend)", "a tenant Ingress may not set a default backend: it would catch every host"),
                ($"!has(object.metadata.annotations)\n|| object.metadata.annotations.all(k, !k.startsWith('nginx.ingress.kubernetes.io/')\n  || k in {List(IngressAnnotations)})",
                    $"a tenant Ingress may carry only these ingress-nginx annotations: {string.Join(", ", IngressAnnotations)} (server-alias, snippets and cross-namespace Secrets would serve or read what is not its own)"),
                ($"!has(object.metadata.annotations) || !('cert-manager.io/issuer' in object.metadata.annotations)\n&& (!('cert-manager.io/cluster-issuer' in object.metadata.annotations)\n  || object.metadata.annotations['cert-manager.io/cluster-issuer'] in {List(catalog.Platform.ClusterIssuers)})",
                    $"certificates for tenant hosts come from the platform's ClusterIssuers only ({string.Join(", ", catalog.Platform.ClusterIssuers)})"),
                ("!has(object.spec.rules)\n|| object.spec.rules.all(r, has(r.host)\n  && variables.owned.exists(o, o.startsWith('.') ? r.host.endsWith(o) : r.host == o))",
                    "every Ingress rule needs a host the organization owns (listed under its hosts in kubernetes/tenants/tenants.yaml)"),
                ("!has(object.spec.tls)\n|| object.spec.tls.all(t, has(t.hosts)\n  && t.hosts.all(h, variables.owned.exists(o, o.startsWith('.') ? h.endsWith(o) : h == o)))",
                    "every TLS host of an Ingress must be one the organization owns"),
            ]);
    }

    private static string Workloads(TenantCatalog catalog) => Policy(catalog, WorkloadsPolicy,
        "In a tenant namespace: no Service with externalIPs (it captures that address's traffic cluster-wide) or of type ExternalName (an Ingress could publish another namespace's backend); no PodDisruptionBudget that blocks every eviction (node drains and upgrades).",
        [
            ("", "services", "CREATE, UPDATE"),
            ("policy", "poddisruptionbudgets", "CREATE, UPDATE"),
        ],
        namespaceSelector: true,
        variables: [],
        [
            ("request.resource.resource != 'services' || !has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0",
                "a tenant Service may not set externalIPs: it would take that address's traffic from every pod and node"),
            ("request.resource.resource != 'services' || !has(object.spec.type) || object.spec.type != 'ExternalName'",
                "a tenant Service may not be of type ExternalName: an Ingress could publish another namespace's backend through it"),
            ("request.resource.resource != 'poddisruptionbudgets'\n|| !(has(object.spec.maxUnavailable) && string(object.spec.maxUnavailable) in ['0', '0%'])\n  && !(has(object.spec.minAvailable) && string(object.spec.minAvailable) == '100%')",
                "a PodDisruptionBudget must allow at least one eviction (maxUnavailable above 0, minAvailable below 100%): otherwise no node can be drained"),
        ]);

    private static string ExternalSecrets(TenantCatalog catalog) => Policy(catalog, SecretsPolicy,
        "An ExternalSecret in a tenant namespace reads only through its organization's ClusterSecretStore (named like the organization), in its secretStoreRef and in every per-entry sourceRef; no generators.",
        [("external-secrets.io", "externalsecrets", "CREATE, UPDATE")],
        namespaceSelector: true,
        variables:
        [
            ("store", "namespaceObject.metadata.labels['organization']"),
        ],
        [
            ("has(object.spec.secretStoreRef) && has(object.spec.secretStoreRef.kind)\n&& object.spec.secretStoreRef.kind == 'ClusterSecretStore' && object.spec.secretStoreRef.name == variables.store",
                "an ExternalSecret must read through ClusterSecretStore <its organization> (kind ClusterSecretStore, name the namespace's organization label)"),
            ("!has(object.spec.data) || object.spec.data.all(d, !has(d.sourceRef)\n  || (!has(d.sourceRef.generatorRef) && has(d.sourceRef.storeRef) && has(d.sourceRef.storeRef.kind)\n    && d.sourceRef.storeRef.kind == 'ClusterSecretStore' && d.sourceRef.storeRef.name == variables.store))",
                "every data[].sourceRef must name the organization's ClusterSecretStore (no other store, no generator)"),
            ("!has(object.spec.dataFrom) || object.spec.dataFrom.all(d, !has(d.sourceRef)\n  || (!has(d.sourceRef.generatorRef) && has(d.sourceRef.storeRef) && has(d.sourceRef.storeRef.kind)\n    && d.sourceRef.storeRef.kind == 'ClusterSecretStore' && d.sourceRef.storeRef.name == variables.store))",
                "every dataFrom[].sourceRef must name the organization's ClusterSecretStore (no other store, no generator)"),
        ]);

    private static string Policy(
        TenantCatalog catalog,
        string name,
        string comment,
        IReadOnlyList<(string Group, string Resources, string Operations)> rules,
        bool namespaceSelector,
        IReadOnlyList<(string Name, string Expression)> variables,
        IReadOnlyList<(string Expression, string Message)> validations)
    {
        var text = new StringBuilder(TenantRenderer.Header);
        text.Append(Comment($"{comment} The platform's identities (catalog: platform.identities) are not subject to it; Argo CD is."));
        text.Append($$"""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/managed-by: platform-build
            spec:
              # A policy that cannot be evaluated refuses the request.
              failurePolicy: Fail
              matchConstraints:
                resourceRules:

            """);
        foreach (var (group, resources, operations) in rules)
        {
            text.Append($"      - apiGroups: [{Q(group)}]\n        apiVersions: [\"*\"]\n        resources: [{Quoted(resources)}]\n        operations: [{Quoted(operations)}]\n");
        }

        text.Append($"  matchConditions:\n    - name: not-the-platform\n      expression: {Block(NotThePlatform(catalog), 8)}\n");
        if (variables.Count > 0)
        {
            text.Append("  variables:\n");
            foreach (var (variable, expression) in variables)
            {
                text.Append($"    - name: {variable}\n      expression: {Block(expression, 8)}\n");
            }
        }

        text.Append("  validations:\n");
        foreach (var (expression, message) in validations)
        {
            text.Append($"    - expression: {Block(expression, 8)}\n      message: >-\n{Wrap(message, 8)}\n      reason: Forbidden\n");
        }

        text.Append($$"""
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata:
              name: {{name}}
              labels:
                app.kubernetes.io/managed-by: platform-build
            spec:
              policyName: {{name}}
              validationActions: [Deny]

            """);
        if (namespaceSelector)
        {
            // Tenant namespaces carry the organization label, which only the platform may change.
            text.Append("  matchResources:\n    namespaceSelector:\n      matchExpressions:\n        - key: organization\n          operator: Exists\n");
        }

        return text.ToString();
    }

    private static string Rules(IEnumerable<TenantKind> kinds)
    {
        var text = new StringBuilder();
        foreach (var group in kinds.GroupBy(k => k.Group))
        {
            text.Append($"  - apiGroups: [{Q(group.Key)}]\n    resources: [{string.Join(", ", group.Select(k => Q(k.Resource)))}]\n    verbs: [{string.Join(", ", Verbs.Select(Q))}]\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>A comment block, wrapped to stay readable (and within the linter's line length).</summary>
    private static string Comment(string text) => string.Concat(Lines(text, 98).Select(l => $"# {l}\n"));

    /// <summary>A folded scalar's lines, indented.</summary>
    private static string Wrap(string text, int indent) => string.Join('\n', Lines(text, 96).Select(l => new string(' ', indent) + l));

    private static IEnumerable<string> Lines(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>A CEL list literal of strings.</summary>
    private static string List(IEnumerable<string> items)
    {
        var quoted = items.Select(i => $"'{i.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'").ToList();
        var line = "[" + string.Join(", ", quoted) + "]";

        // Long lists one item a line, so the file stays readable (and within the linter's line length).
        return line.Length <= 100 ? line : "[\n    " + string.Join(",\n    ", quoted) + "\n  ]";
    }

    private static string Quoted(string commaList) => string.Join(", ", commaList.Split(',', StringSplitOptions.TrimEntries).Select(Q));

    /// <summary>A YAML literal block (|-) holding a CEL expression, indented under its key.</summary>
    private static string Block(string expression, int indent) =>
        "|-\n" + string.Join('\n', expression.Split('\n').Select(l => new string(' ', indent) + l));

    private static string Q(string value) => JsonSerializer.Serialize(value, Relaxed);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
