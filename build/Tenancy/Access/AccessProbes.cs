using k8s.Models;

namespace Platform.Build.Tenancy.Access;

/// <summary>The layers that can refuse a tenant: its AppProject (Argo CD), RBAC (the API server), admission (the policies).</summary>
public enum Layer
{
    Project,
    Rbac,
    Admission,
}

/// <summary>
/// One thing someone may try against a tenant namespace. <see cref="Namespace"/>
/// is where the request lands (usually the target namespace; for claiming a
/// host, the actor's own), and <see cref="Object"/>/<see cref="OldObject"/> what
/// admission sees. Reads and impersonation have no admission step.
/// </summary>
public sealed record Operation(
    string Verb,
    string Group,
    string Kind,
    string Resource,
    string? Namespace,
    string Name,
    object? Object = null,
    object? OldObject = null,
    bool ViaSync = true)
{
    public bool ClusterScoped => Namespace is null || Resource == "namespaces";

    /// <summary>The admission operation of a write, or null for requests admission never sees.</summary>
    public string? AdmissionOperation => Verb switch
    {
        "create" => "CREATE",
        "update" or "patch" => "UPDATE",
        "delete" => "DELETE",
        _ => null,
    };

    /// <summary>For a RoleBinding: the role it hands out (RBAC's bind check).</summary>
    public V1RoleRef? RoleRef { get; init; }

    /// <summary>For a Role: the rights it grants (RBAC's escalate check).</summary>
    public IReadOnlyList<V1PolicyRule>? RoleRules { get; init; }

    /// <summary>Who admission sees create the object, when that is not the actor (a pod made by the ReplicaSet controller).</summary>
    public Subject? CreatedBy { get; init; }
}

/// <summary>What the probes of one namespace see: its name, organization, namespace object and rendered guardrail objects.</summary>
public sealed record ProbeTarget(string Namespace, Organization Owner, V1Namespace? NamespaceObject, IReadOnlyList<object> Objects, TenantCatalog Catalog)
{
    /// <summary>The namespace's own objects, by kind and name (the rendered lists hold every namespace's).</summary>
    private readonly Lazy<Dictionary<(Type, string), object>> _own = new(() => Objects
        .OfType<k8s.Models.IMetadata<V1ObjectMeta>>()
        .Where(o => o.Metadata?.NamespaceProperty == Namespace)
        .GroupBy(o => (o.GetType(), o.Metadata.Name))
        .ToDictionary(g => g.Key, g => (object)g.First()));

    public T? Find<T>(string name)
        where T : class, k8s.Models.IMetadata<V1ObjectMeta> =>
        _own.Value.GetValueOrDefault((typeof(T), name)) as T;
}

/// <summary>
/// One probe: the column of the "who can change what" table it belongs to,
/// what it tries, whether the namespace's own tenant may do it, and which
/// layers must refuse it each on their own (defence in depth: one layer
/// failing must not open the door).
/// </summary>
public sealed record AccessProbe(string Column, string What, bool TenantMay, Layer[] Guards, Func<ProbeTarget, ProbeActor, Operation?> Build)
{
    /// <summary>False for what nobody may do, the platform included (a pod running as the deployer).</summary>
    public bool PlatformMay { get; init; } = true;
}

/// <summary>Who tries: the namespace it acts from and its organization (null for the platform).</summary>
public sealed record ProbeActor(string Namespace, Organization? Organization);

/// <summary>
/// The probe list: what a hostile tenant (or another tenant, or a careless
/// change) would try. A kind missing here is a hole in the proof, so each
/// attack the platform knows of has a probe, and each probe a failing fixture.
/// </summary>
public static class AccessProbes
{
    public const string CreateWorkloads = "create workloads";
    public const string ChangeRbac = "change RBAC";
    public const string ChangeGuardrails = "change guardrails";
    public const string ChangeLabels = "change namespace labels";
    public const string ReadSecrets = "read Secrets";
    public const string ClaimHost = "claim a host";

    public static readonly IReadOnlyList<string> Columns = [CreateWorkloads, ChangeRbac, ChangeGuardrails, ChangeLabels, ReadSecrets, ClaimHost];

    private const string Rbac = "rbac.authorization.k8s.io";
    private static readonly Layer[] Every = [Layer.Project, Layer.Rbac, Layer.Admission];
    private static readonly Layer[] ProjectAndRbac = [Layer.Project, Layer.Rbac];

    private static readonly V1PolicyRule AllRule = new() { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] };

    /// <summary>The ReplicaSet controller: admission judges the pods it creates, whoever wrote the Deployment.</summary>
    public static readonly Subject ReplicaSetController = Subject.ServiceAccount("kube-system", "replicaset-controller");

    public static readonly IReadOnlyList<AccessProbe> List =
    [
        new(CreateWorkloads, "create a Deployment", true, ProjectAndRbac, (t, _) =>
            new("create", "apps", "Deployment", "deployments", t.Namespace, "probe", Meta<V1Deployment>("apps/v1", "Deployment", "probe", t.Namespace))),

        new(ChangeRbac, "bind cluster-admin in the namespace", false, Every, (t, _) => Binding(t, "probe-admin", "ClusterRole", "cluster-admin")),
        new(ChangeRbac, "bind admin in the namespace", false, Every, (t, _) => Binding(t, "probe-ns-admin", "ClusterRole", "admin")),
        new(ChangeRbac, "bind edit to every account of the namespace", false, Every, (t, _) => Binding(t, "probe-edit", "ClusterRole", "edit", group: $"system:serviceaccounts:{t.Namespace}")),
        new(ChangeRbac, "re-point the deployer's RoleBinding", false, Every, (t, _) =>
        {
            var old = t.Find<V1RoleBinding>(TenantLayout.Deployer);
            var changed = Binding(t, TenantLayout.Deployer, "ClusterRole", "cluster-admin");
            return changed with { Verb = "update", OldObject = old };
        }),
        new(ChangeRbac, "delete the deployer's RoleBinding", false, Every, (t, _) => Delete<V1RoleBinding>(t, Rbac, "RoleBinding", "rolebindings", TenantLayout.Deployer)),
        new(ChangeRbac, "hand the deployer's rights to every account of the namespace", false, Every, (t, _) =>
            Binding(t, "probe-deployer-for-all", "ClusterRole", TenantLayout.DeployerRole, group: $"system:serviceaccounts:{t.Namespace}")),
        new(ChangeRbac, "create a Role granting everything", false, ProjectAndRbac, (t, _) =>
            new("create", Rbac, "Role", "roles", t.Namespace, "probe-all", new V1Role { ApiVersion = $"{Rbac}/v1", Kind = "Role", Metadata = new V1ObjectMeta { Name = "probe-all", NamespaceProperty = t.Namespace }, Rules = [AllRule] })
            { RoleRules = [AllRule] }),
        new(ChangeRbac, "create a ClusterRoleBinding", false, ProjectAndRbac, (t, _) =>
            new("create", Rbac, "ClusterRoleBinding", "clusterrolebindings", null, "probe-cluster", null)
            { RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = "cluster-admin" } }),
        new(ChangeRbac, "mint the deployer's token with a token Secret", false, Every, (t, _) =>
            new("create", string.Empty, "Secret", "secrets", t.Namespace, "probe-token", new V1Secret
            {
                ApiVersion = "v1", Kind = "Secret", Type = "kubernetes.io/service-account-token",
                Metadata = new V1ObjectMeta { Name = "probe-token", NamespaceProperty = t.Namespace, Annotations = new Dictionary<string, string> { ["kubernetes.io/service-account.name"] = TenantLayout.Deployer } },
            })),
        new(ChangeRbac, "request a token for the deployer (TokenRequest)", false, [Layer.Rbac], (t, _) =>
            new("create", string.Empty, "TokenRequest", "serviceaccounts/token", t.Namespace, TenantLayout.Deployer, ViaSync: false)),
        new(ChangeRbac, "impersonate the deployer", false, [Layer.Rbac], (t, _) =>
            new("impersonate", string.Empty, "ServiceAccount", "serviceaccounts", t.Namespace, TenantLayout.Deployer, ViaSync: false)),
        new(ChangeRbac, "run a pod as the deployer", false, [Layer.Admission], (t, _) =>
            new("create", string.Empty, "Pod", "pods", t.Namespace, "probe-as-deployer", new V1Pod
            {
                ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "probe-as-deployer", NamespaceProperty = t.Namespace },
                Spec = new V1PodSpec { ServiceAccountName = TenantLayout.Deployer, Containers = [new V1Container { Name = "c", Image = "registry.k8s.io/pause:3.10" }] },
            }) { CreatedBy = ReplicaSetController }) { PlatformMay = false },
        new(ChangeRbac, "escalate through bind on ClusterRoles", false, [Layer.Rbac], (t, _) =>
            new("bind", Rbac, "ClusterRole", "clusterroles", t.Namespace, "cluster-admin", ViaSync: false)),

        new(ChangeGuardrails, "delete the ResourceQuota", false, Every, (t, _) => Delete<V1ResourceQuota>(t, string.Empty, "ResourceQuota", "resourcequotas", $"{t.Owner.Name}-quota")),
        new(ChangeGuardrails, "raise the ResourceQuota", false, Every, (t, _) => Update<V1ResourceQuota>(t, string.Empty, "ResourceQuota", "resourcequotas", $"{t.Owner.Name}-quota",
            q => q.Spec.Hard["requests.cpu"] = new ResourceQuantity("1000"))),
        new(ChangeGuardrails, "change the LimitRange", false, Every, (t, _) => Update<V1LimitRange>(t, string.Empty, "LimitRange", "limitranges", $"{t.Owner.Name}-limits",
            l => l.Spec.Limits[0].Max = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("64"), ["memory"] = new("256Gi") })),
        new(ChangeGuardrails, "delete default-deny", false, Every, (t, _) => Delete<V1NetworkPolicy>(t, "networking.k8s.io", "NetworkPolicy", "networkpolicies", "default-deny")),
        new(ChangeGuardrails, "add an allow-all NetworkPolicy", false, Every, (t, _) =>
            new("create", "networking.k8s.io", "NetworkPolicy", "networkpolicies", t.Namespace, "probe-allow-all", new V1NetworkPolicy
            {
                ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy", Metadata = new V1ObjectMeta { Name = "probe-allow-all", NamespaceProperty = t.Namespace },
                Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), Ingress = [new V1NetworkPolicyIngressRule()], Egress = [new V1NetworkPolicyEgressRule()] },
            })),
        new(ChangeGuardrails, "add a CiliumNetworkPolicy", false, Every, (t, _) =>
            new("create", "cilium.io", "CiliumNetworkPolicy", "ciliumnetworkpolicies", t.Namespace, "probe-cilium", Generic("cilium.io/v2", "CiliumNetworkPolicy", "probe-cilium", t.Namespace))),
        new(ChangeGuardrails, "add its own SecretStore", false, Every, (t, _) =>
            new("create", "external-secrets.io", "SecretStore", "secretstores", t.Namespace, "probe-store", Generic("external-secrets.io/v1", "SecretStore", "probe-store", t.Namespace))),
        new(ChangeGuardrails, "delete the deployer's ServiceAccount", false, [Layer.Admission], (t, _) =>
            Delete<V1ServiceAccount>(t, string.Empty, "ServiceAccount", "serviceaccounts", TenantLayout.Deployer)),
        new(ChangeGuardrails, "make a platform-* account through generateName", false, [Layer.Admission], (t, _) =>
            new("create", string.Empty, "ServiceAccount", "serviceaccounts", t.Namespace, string.Empty,
                new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { GenerateName = TenantLayout.PlatformPrefix, NamespaceProperty = t.Namespace } })),
        new(ChangeGuardrails, "block every eviction with a PodDisruptionBudget", false, [Layer.Admission], (t, _) =>
            new("create", "policy", "PodDisruptionBudget", "poddisruptionbudgets", t.Namespace, "probe-pdb", new V1PodDisruptionBudget
            {
                ApiVersion = "policy/v1", Kind = "PodDisruptionBudget", Metadata = new V1ObjectMeta { Name = "probe-pdb", NamespaceProperty = t.Namespace },
                Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 0, Selector = new V1LabelSelector() },
            })),
        new(ChangeGuardrails, "delete an admission policy", false, ProjectAndRbac, (_, _) =>
            new("delete", "admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", null, GuardrailRenderer.GuardrailsPolicy)),
        new(ChangeGuardrails, "unbind an admission policy", false, ProjectAndRbac, (_, _) =>
            new("delete", "admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", null, GuardrailRenderer.NamespaceLabelsPolicy)),

        new(ChangeLabels, "set Pod Security enforce to privileged", false, Every, (t, _) => Relabel(t, "pod-security.kubernetes.io/enforce", "privileged")),
        new(ChangeLabels, "pin Pod Security to an old version", false, Every, (t, _) => Relabel(t, "pod-security.kubernetes.io/enforce-version", "v1.22")),
        new(ChangeLabels, "drop Pod Security audit", false, Every, (t, _) => Relabel(t, "pod-security.kubernetes.io/audit", null)),
        new(ChangeLabels, "move the namespace to another organization", false, Every, (t, _) => Relabel(t, "organization", "someone-else")),
        new(ChangeLabels, "relabel the environment", false, Every, (t, _) => Relabel(t, "environment", "production-but-not")),
        new(ChangeLabels, "relabel it through namespaces/status", false, [Layer.Rbac, Layer.Admission], (t, _) =>
            Relabel(t, "pod-security.kubernetes.io/enforce", "privileged") with { Resource = "namespaces/status", ViaSync = false }),
        new(ChangeLabels, "delete the namespace", false, Every, (t, _) =>
            new("delete", string.Empty, "Namespace", "namespaces", t.Namespace, t.Namespace, null, t.NamespaceObject)),

        new(ReadSecrets, "mount its own Secrets in its pods", true, ProjectAndRbac, (t, _) =>
            new("create", "apps", "Deployment", "deployments", t.Namespace, "probe-mount", MountingSecret(t.Namespace))),
        new(ReadSecrets, "read another organization's secrets through its ClusterSecretStore", false, [Layer.Admission], (t, a) =>
            ExternalSecretFrom(t, a, perEntry: false)),
        new(ReadSecrets, "read them through a per-entry store reference", false, [Layer.Admission], (t, a) =>
            ExternalSecretFrom(t, a, perEntry: true)),
        new(ReadSecrets, "read a Secret", false, [Layer.Rbac], (t, _) => new("get", string.Empty, "Secret", "secrets", t.Namespace, "sso-secrets", ViaSync: false)),
        new(ReadSecrets, "list Secrets", false, [Layer.Rbac], (t, _) => new("list", string.Empty, "Secret", "secrets", t.Namespace, string.Empty, ViaSync: false)),

        // Only the namespace's own tenant claims its own host; the others' probes below run from their namespaces.
        new(ClaimHost, "serve one of its own hosts", true, [], (t, a) =>
            a.Organization?.Name == t.Owner.Name && OwnHost(t.Owner) is { } host ? Ingress(a.Namespace, "probe-own", host) : null),
        new(ClaimHost, "serve a host another owner has", false, [Layer.Admission], (t, a) => Ingress(a.Namespace, "probe-foreign", ForeignHost(t, a))),
        new(ClaimHost, "serve every host (a rule without host)", false, [Layer.Admission], (t, a) => Ingress(a.Namespace, "probe-catch-all", null)),
        new(ClaimHost, "bring its own TLS Secret", false, Every, (t, a) =>
            new("create", string.Empty, "Secret", "secrets", a.Namespace, "probe-tls", new V1Secret
            {
                ApiVersion = "v1", Kind = "Secret", Type = "kubernetes.io/tls",
                Metadata = new V1ObjectMeta { Name = "probe-tls", NamespaceProperty = a.Namespace },
                StringData = new Dictionary<string, string> { ["tls.crt"] = "a certificate for " + ForeignHost(t, a), ["tls.key"] = "-" },
            })),
        new(ClaimHost, "alias another owner's host (server-alias annotation)", false, [Layer.Admission], (t, a) =>
            Annotated(Ingress(a.Namespace, "probe-alias", (a.Organization is null ? null : OwnHost(a.Organization)) ?? "x.invalid"), "nginx.ingress.kubernetes.io/server-alias", ForeignHost(t, a))),
        new(ClaimHost, "inject an ingress-nginx configuration snippet", false, [Layer.Admission], (t, a) =>
            Annotated(Ingress(a.Namespace, "probe-snippet", (a.Organization is null ? null : OwnHost(a.Organization)) ?? "x.invalid"), "nginx.ingress.kubernetes.io/configuration-snippet", "proxy_pass http://kubernetes.default.svc;")),
        new(ClaimHost, "ask an internal issuer for a certificate", false, [Layer.Admission], (t, a) =>
            Annotated(Ingress(a.Namespace, "probe-issuer", (a.Organization is null ? null : OwnHost(a.Organization)) ?? "x.invalid"), "cert-manager.io/cluster-issuer", "platform-internal-ca")),
        new(ClaimHost, "capture an address with a Service's externalIPs", false, [Layer.Admission], (_, a) =>
            new("create", string.Empty, "Service", "services", a.Namespace, "probe-external-ip", new V1Service
            {
                ApiVersion = "v1", Kind = "Service", Metadata = new V1ObjectMeta { Name = "probe-external-ip", NamespaceProperty = a.Namespace },
                Spec = new V1ServiceSpec { ExternalIPs = ["10.20.240.10"], Ports = [new V1ServicePort { Port = 5432 }] },
            })),
        new(ClaimHost, "publish another namespace through an ExternalName Service", false, [Layer.Admission], (t, a) =>
            new("create", string.Empty, "Service", "services", a.Namespace, "probe-external-name", new V1Service
            {
                ApiVersion = "v1", Kind = "Service", Metadata = new V1ObjectMeta { Name = "probe-external-name", NamespaceProperty = a.Namespace },
                Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = $"sso.{t.Namespace}.svc.cluster.local" },
            })),
        new(ClaimHost, "take another owner's host in TLS only", false, [Layer.Admission], (t, a) =>
            Ingress(a.Namespace, "probe-tls", (a.Organization is null ? null : OwnHost(a.Organization)) ?? "x.invalid", tlsHost: ForeignHost(t, a))),
    ];

    /// <summary>A host the organization owns (for the positive control), or null when it owns none.</summary>
    public static string? OwnHost(Organization org) => org.Hosts.Select(Example).FirstOrDefault();

    /// <summary>
    /// A host the actor must not claim: the target organization's when the actor is
    /// another tenant, else another organization's, else the platform's, else one nobody owns.
    /// </summary>
    public static string ForeignHost(ProbeTarget t, ProbeActor a)
    {
        var mine = a.Organization?.Name;
        var candidates = (mine != t.Owner.Name ? t.Owner.Hosts : [])
            .Concat(t.Catalog.Organizations.Where(o => o.Name != mine).SelectMany(o => o.Hosts))
            .Concat(t.Catalog.Platform.Hosts);
        return candidates.Select(Example).FirstOrDefault() ?? "unowned.example.invalid";
    }

    private static string Example(string owned) => owned.StartsWith("*.", StringComparison.Ordinal) ? "probe" + owned[1..] : owned;

    private static Operation Annotated(Operation ingress, string key, string value)
    {
        ((V1Ingress)ingress.Object!).Metadata.Annotations = new Dictionary<string, string> { [key] = value };
        return ingress;
    }

    private static V1Deployment MountingSecret(string ns) => new()
    {
        ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new V1ObjectMeta { Name = "probe-mount", NamespaceProperty = ns },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "probe" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "probe" } },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = "c", Image = "registry.k8s.io/pause:3.10", VolumeMounts = [new V1VolumeMount { Name = "s", MountPath = "/s" }] }],
                    Volumes = [new V1Volume { Name = "s", Secret = new V1SecretVolumeSource { SecretName = "sso-secrets" } }],
                },
            },
        },
    };

    /// <summary>An ExternalSecret in the actor's namespace that reads another organization's store (the target's, when the actor is another tenant).</summary>
    private static Operation ExternalSecretFrom(ProbeTarget t, ProbeActor a, bool perEntry)
    {
        var victim = a.Organization?.Name != t.Owner.Name ? t.Owner.Name
            : t.Catalog.Organizations.FirstOrDefault(o => o.Name != t.Owner.Name)?.Name ?? "someone-else";
        var store = new Dictionary<string, object?> { ["kind"] = "ClusterSecretStore", ["name"] = victim };
        var own = new Dictionary<string, object?> { ["kind"] = "ClusterSecretStore", ["name"] = a.Organization?.Name ?? victim };
        var spec = new Dictionary<string, object?>
        {
            ["secretStoreRef"] = perEntry ? own : store,
            ["target"] = new Dictionary<string, object?> { ["name"] = "probe-stolen" },
        };
        var entry = new Dictionary<string, object?> { ["secretKey"] = "password", ["remoteRef"] = new Dictionary<string, object?> { ["key"] = $"{victim}/database" } };
        if (perEntry)
        {
            entry["sourceRef"] = new Dictionary<string, object?> { ["storeRef"] = store };
        }

        spec["data"] = new List<object?> { entry };
        var item = Generic("external-secrets.io/v1", "ExternalSecret", "probe-stolen", a.Namespace);
        item["spec"] = spec;
        return new("create", "external-secrets.io", "ExternalSecret", "externalsecrets", a.Namespace, "probe-stolen", item);
    }

    private static Operation Binding(ProbeTarget t, string name, string kind, string role, string? group = null)
    {
        var roleRef = new V1RoleRef { ApiGroup = Rbac, Kind = kind, Name = role };
        var subject = group is null
            ? new Rbacv1Subject { Kind = "ServiceAccount", Name = "default", NamespaceProperty = t.Namespace }
            : new Rbacv1Subject { Kind = "Group", Name = group, ApiGroup = Rbac };
        var binding = new V1RoleBinding { ApiVersion = $"{Rbac}/v1", Kind = "RoleBinding", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = t.Namespace }, RoleRef = roleRef, Subjects = [subject] };
        return new Operation("create", Rbac, "RoleBinding", "rolebindings", t.Namespace, name, binding) { RoleRef = roleRef };
    }

    private static Operation Delete<T>(ProbeTarget t, string group, string kind, string resource, string name)
        where T : class, k8s.Models.IMetadata<V1ObjectMeta> =>
        new("delete", group, kind, resource, t.Namespace, name, null, t.Find<T>(name));

    private static Operation Update<T>(ProbeTarget t, string group, string kind, string resource, string name, Action<T> change)
        where T : class, k8s.Models.IMetadata<V1ObjectMeta>
    {
        var old = t.Find<T>(name);
        var changed = old is null ? null : k8s.KubernetesJson.Deserialize<T>(k8s.KubernetesJson.Serialize(old));
        if (changed is not null)
        {
            change(changed);
        }

        return new("update", group, kind, resource, t.Namespace, name, changed, old);
    }

    private static Operation Relabel(ProbeTarget t, string key, string? value)
    {
        var old = t.NamespaceObject;
        var changed = old is null ? null : k8s.KubernetesJson.Deserialize<V1Namespace>(k8s.KubernetesJson.Serialize(old));
        if (changed is not null)
        {
            changed.Metadata.Labels ??= new Dictionary<string, string>();
            if (value is null)
            {
                changed.Metadata.Labels.Remove(key);
            }
            else
            {
                changed.Metadata.Labels[key] = value;
            }
        }

        // namespaces/X is authorized inside X: a RoleBinding there could grant it.
        return new("patch", string.Empty, "Namespace", "namespaces", t.Namespace, t.Namespace, changed, old);
    }

    private static Operation Ingress(string ns, string name, string? host, string? tlsHost = null) =>
        new("create", "networking.k8s.io", "Ingress", "ingresses", ns, name, new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1", Kind = "Ingress", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new V1IngressSpec
            {
                IngressClassName = "nginx",
                Rules = [new V1IngressRule { Host = host, Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Name = "http" } } } }] } }],
                Tls = tlsHost is null ? null : [new V1IngressTLS { Hosts = [tlsHost], SecretName = "probe-tls" }],
            },
        });

    private static T Meta<T>(string apiVersion, string kind, string name, string ns)
        where T : k8s.IKubernetesObject<V1ObjectMeta>, new()
    {
        var item = new T { ApiVersion = apiVersion, Kind = kind, Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } };
        return item;
    }

    private static Dictionary<string, object?> Generic(string apiVersion, string kind, string name, string ns) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = new Dictionary<string, object?> { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new Dictionary<string, object?>(),
    };
}
