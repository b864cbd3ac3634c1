using Xunit;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy;
using Platform.Build.Tenancy.Access;
using Platform.Build.Tenancy.Projects;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tenancy;

/// <summary>
/// "Who can change what", attacked: each fixture is a way a hostile tenant or a
/// careless change opens a door, and each must fail the table naming the
/// namespace, the operation and the layer that let it through. The shipped
/// repository passes, and its table has the cells a reviewer expects.
/// </summary>
public sealed class AccessMatrixTests
{
    private static readonly TenantCatalog Catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath);

    private static List<Manifest> Render(string folder)
    {
        var start = new System.Diagnostics.ProcessStartInfo("kubectl", ["kustomize", Repo.Path(folder)]) { RedirectStandardOutput = true };
        using var kubectl = System.Diagnostics.Process.Start(start)!;
        var text = kubectl.StandardOutput.ReadToEnd();
        kubectl.WaitForExit();
        return [.. ManifestParser.Parse(text, folder)];
    }

    private static readonly List<Manifest> DevNamespaces = Render("kubernetes/namespaces/dev");
    private static readonly List<Manifest> Guardrails = Render("kubernetes/guardrails");
    private static readonly List<Manifest> DevProjects = Render("kubernetes/argocd/projects/dev");

    /// <summary>The dev cluster's table, after <paramref name="attack"/> changed the rendered objects.</summary>
    private static AccessReport Evaluate(Action<List<object>, Dictionary<string, AppProject>>? attack = null, bool impersonation = true)
    {
        var objects = DevNamespaces.Concat(Guardrails).Select(m => Copy(m.Object)).ToList();
        var projects = DevProjects.Select(m => (AppProject)Copy(m.Object)).ToDictionary(p => p.Metadata.Name);
        attack?.Invoke(objects, projects);
        return AccessMatrix.Evaluate("dev", Catalog, projects.ToDictionary(p => p.Key, p => new ProjectRules(p.Value)), objects, impersonation);
    }

    /// <summary>A deep copy, so one test's attack does not leak into the next.</summary>
    private static object Copy(object item) =>
        System.Text.Json.JsonSerializer.Deserialize(k8s.KubernetesJson.Serialize(item), item.GetType(), JsonOptions)!;

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = CreateOptions();

    private static System.Text.Json.JsonSerializerOptions CreateOptions()
    {
        System.Text.Json.JsonSerializerOptions? options = null;
        k8s.KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? new System.Text.Json.JsonSerializerOptions();
    }

    private static void Remove<T>(List<object> objects, string name)
        where T : IMetadata<V1ObjectMeta> =>
        Assert.True(objects.RemoveAll(o => o is T t && t.Metadata.Name == name) > 0, $"no {typeof(T).Name} {name} to remove");

    private static T Single<T>(List<object> objects, string name)
        where T : IMetadata<V1ObjectMeta> => objects.OfType<T>().Single(o => o.Metadata.Name == name);

    [Fact]
    public void The_shipped_tenancy_passes_and_its_table_reads_as_a_reviewer_expects()
    {
        var report = Evaluate();

        Assert.Empty(report.Findings);
        Assert.True(report.Probes > 150, $"{report.Probes} probes");
        string Cell(string ns, Actor actor, string column) => report.Cells.Single(c => c.Namespace == ns && c.Actor == actor && c.Column == column).Detail;
        Assert.Equal("yes", Cell("org-a-dev", Actor.Tenant, AccessProbes.CreateWorkloads));
        Assert.Equal("no (project, RBAC, admission)", Cell("org-a-dev", Actor.Tenant, AccessProbes.ChangeRbac));
        Assert.Equal("no (project, RBAC, admission)", Cell("org-a-dev", Actor.Tenant, AccessProbes.ChangeLabels));
        Assert.Equal("yes: mount its own Secrets in its pods", Cell("org-a-dev", Actor.Tenant, AccessProbes.ReadSecrets));
        Assert.StartsWith("no", Cell("org-a-dev", Actor.OtherTenant, AccessProbes.ReadSecrets));
        Assert.Equal("yes: serve one of its own hosts", Cell("org-a-dev", Actor.Tenant, AccessProbes.ClaimHost));
        Assert.StartsWith("no", Cell("org-a-dev", Actor.OtherTenant, AccessProbes.CreateWorkloads));
        Assert.StartsWith("no", Cell("org-a-dev", Actor.OtherTenant, AccessProbes.ClaimHost));
        Assert.Equal("yes", Cell("org-a-dev", Actor.Platform, AccessProbes.ChangeLabels));
        Assert.DoesNotContain(report.Cells, c => c.Namespace.EndsWith("-prod", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_that_blacklists_guardrails_lets_a_RoleBinding_to_cluster_admin_through_Argo_CD()
    {
        // Issue 10's first attack: the project lists what tenants may NOT create.
        var report = Evaluate((_, projects) =>
        {
            var spec = projects["org-a"].Spec;
            spec.NamespaceResourceWhitelist = null;
            spec.NamespaceResourceBlacklist = [new GroupKind { Group = string.Empty, Kind = "ResourceQuota" }, new GroupKind { Group = string.Empty, Kind = "LimitRange" }, new GroupKind { Group = "networking.k8s.io", Kind = "NetworkPolicy" }];
        });

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can bind cluster-admin in the namespace (change RBAC) through an Argo CD sync as system:serviceaccount:org-a-dev:platform-deployer: project lets it through", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can mint the deployer's token with a token Secret", StringComparison.Ordinal) && f.Contains("project lets it through", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Findings, f => f.StartsWith("org-b-dev: the tenant", StringComparison.Ordinal));
    }

    [Fact]
    public void A_RoleBinding_of_cluster_admin_to_a_tenant_account_lets_its_pods_delete_guardrails_and_relabel_the_namespace()
    {
        // The attack's second half: the binding is in place (synced by the controller, or applied by hand).
        var report = Evaluate((objects, _) => objects.Add(new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding",
            Metadata = new V1ObjectMeta { Name = "owned", NamespaceProperty = "org-a-dev" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "default", NamespaceProperty = "org-a-dev" }],
        }));

        Assert.Contains(report.Findings, f => f == "org-a-dev: the tenant can delete the ResourceQuota (change guardrails) from a pod as system:serviceaccount:org-a-dev:default: RBAC lets it through (system:serviceaccount:org-a-dev:default may delete resourcequotas, by RoleBinding org-a-dev/owned (ClusterRole cluster-admin))");
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can set Pod Security enforce to privileged (change namespace labels) from a pod as system:serviceaccount:org-a-dev:default: RBAC lets it through", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can read a Secret (read Secrets) from a pod", StringComparison.Ordinal));
        // Admission still holds the labels: the table shows the door RBAC opened, not a breach.
        Assert.StartsWith("no", report.Cells.Single(c => c.Namespace == "org-a-dev" && c.Actor == Actor.Tenant && c.Column == AccessProbes.ChangeLabels).Detail);
    }

    [Theory]
    [InlineData(GuardrailRenderer.NamespaceLabelsPolicy, "set Pod Security enforce to privileged")]
    [InlineData(GuardrailRenderer.NamespaceLabelsPolicy, "move the namespace to another organization")]
    [InlineData(GuardrailRenderer.NamespaceLabelsPolicy, "pin Pod Security to an old version")]
    [InlineData(GuardrailRenderer.GuardrailsPolicy, "delete default-deny")]
    [InlineData(GuardrailRenderer.GuardrailsPolicy, "delete the deployer's ServiceAccount")]
    [InlineData(GuardrailRenderer.RbacPolicy, "bind cluster-admin in the namespace")]
    [InlineData(GuardrailRenderer.RbacPolicy, "run a pod as the deployer")]
    [InlineData(GuardrailRenderer.RbacPolicy, "bring its own TLS Secret")]
    [InlineData(GuardrailRenderer.HostsPolicy, "serve a host another owner has")]
    [InlineData(GuardrailRenderer.HostsPolicy, "alias another owner's host (server-alias annotation)")]
    [InlineData(GuardrailRenderer.HostsPolicy, "inject an ingress-nginx configuration snippet")]
    [InlineData(GuardrailRenderer.HostsPolicy, "ask an internal issuer for a certificate")]
    [InlineData(GuardrailRenderer.WorkloadsPolicy, "capture an address with a Service's externalIPs")]
    [InlineData(GuardrailRenderer.WorkloadsPolicy, "publish another namespace through an ExternalName Service")]
    [InlineData(GuardrailRenderer.WorkloadsPolicy, "block every eviction with a PodDisruptionBudget")]
    [InlineData(GuardrailRenderer.SecretsPolicy, "read another organization's secrets through its ClusterSecretStore")]
    [InlineData(GuardrailRenderer.SecretsPolicy, "read them through a per-entry store reference")]
    [InlineData(GuardrailRenderer.GuardrailsPolicy, "make a platform-* account through generateName")]
    [InlineData(GuardrailRenderer.NamespaceLabelsPolicy, "relabel it through namespaces/status")]
    [InlineData(GuardrailRenderer.HostsPolicy, "serve every host (a rule without host)")]
    public void Without_an_admission_policy_its_attacks_get_through_admission(string policy, string attack)
    {
        var report = Evaluate((objects, _) => Remove<V1ValidatingAdmissionPolicyBinding>(objects, policy));

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can " + attack, StringComparison.Ordinal) && f.Contains("admission lets it through", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_rule_on_request_name_misses_generateName()
    {
        // request.name is empty at admission when the object asks for a generated name.
        var report = Evaluate((objects, _) =>
        {
            var guard = Single<V1ValidatingAdmissionPolicy>(objects, GuardrailRenderer.GuardrailsPolicy);
            var rule = guard.Spec.Validations.Single(v => v.Expression.Contains("variables.name", StringComparison.Ordinal));
            rule.Expression = rule.Expression.Replace("variables.name", "request.name", StringComparison.Ordinal);
        });

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can make a platform-* account through generateName (change guardrails)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_labels_policy_without_the_status_subresource_lets_a_relabel_through_it()
    {
        var report = Evaluate((objects, _) =>
        {
            var labels = Single<V1ValidatingAdmissionPolicy>(objects, GuardrailRenderer.NamespaceLabelsPolicy);
            labels.Spec.MatchConstraints.ResourceRules[0].Resources = ["namespaces"];
        });

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can relabel it through namespaces/status (change namespace labels) from a pod", StringComparison.Ordinal)
            && f.Contains("admission lets it through (no admission policy refuses UPDATE namespaces/status (none matches it))", StringComparison.Ordinal));
    }

    [Fact]
    public void A_refusal_that_only_an_evaluation_error_produces_is_not_proof()
    {
        // A policy that cannot evaluate refuses on a real server too, but the build cannot tell it from a rule that holds.
        var report = Evaluate((objects, _) =>
            Single<V1ValidatingAdmissionPolicy>(objects, GuardrailRenderer.WorkloadsPolicy).Spec.Validations[0].Expression = "object.spec.noSuchField == 1");

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can capture an address with a Service's externalIPs (claim a host)", StringComparison.Ordinal)
            && f.Contains("refused only by an evaluation error", StringComparison.Ordinal));
    }

    [Fact]
    public void An_admission_policy_that_exempts_Argo_CD_lets_a_sync_relabel_the_namespace_when_impersonation_is_off()
    {
        var report = Evaluate((objects, _) =>
        {
            var labels = Single<V1ValidatingAdmissionPolicy>(objects, GuardrailRenderer.NamespaceLabelsPolicy);
            labels.Spec.MatchConditions[0].Expression = "!request.userInfo.username.startsWith('system:serviceaccount:argocd:')";
        }, impersonation: false);

        Assert.Contains(report.Findings, f => f.StartsWith("dev: Argo CD's application.sync.impersonation.enabled is not \"true\"", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can set Pod Security enforce to privileged (change namespace labels) through an Argo CD sync as system:serviceaccount:argocd:argocd-application-controller: RBAC lets it through", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deployer_role_that_may_bind_roles_is_found_by_RBAC_and_by_the_role_check()
    {
        var report = Evaluate((objects, _) => Single<V1ClusterRole>(objects, TenantLayout.DeployerRole).Rules.Add(
            new V1PolicyRule { ApiGroups = ["rbac.authorization.k8s.io"], Resources = ["rolebindings", "roles"], Verbs = ["create", "update", "patch", "delete", "get"] }));

        // Bindings need no escalation check to be deleted, nor to hand out rights the deployer holds itself.
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can delete the deployer's RoleBinding (change RBAC) through an Argo CD sync as system:serviceaccount:org-a-dev:platform-deployer: RBAC lets it through", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can hand the deployer's rights to every account of the namespace (change RBAC) through an Argo CD sync as system:serviceaccount:org-a-dev:platform-deployer: RBAC lets it through", StringComparison.Ordinal));
        // RBAC's own escalation check still refuses cluster-admin and re-pointing: the deployer does not hold cluster-admin.
        Assert.DoesNotContain(report.Findings, f => f.StartsWith("org-a-dev: the tenant can bind cluster-admin in the namespace (change RBAC) through an Argo CD sync as system:serviceaccount:org-a-dev:platform-deployer: RBAC", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Findings, f => f.StartsWith("org-a-dev: the tenant can re-point the deployer's RoleBinding (change RBAC) through an Argo CD sync as system:serviceaccount:org-a-dev:platform-deployer: RBAC", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deployer_with_escalate_can_create_a_Role_granting_everything()
    {
        var report = Evaluate((objects, _) => Single<V1ClusterRole>(objects, TenantLayout.DeployerRole).Rules.Add(
            new V1PolicyRule { ApiGroups = ["rbac.authorization.k8s.io"], Resources = ["roles"], Verbs = ["create", "escalate"] }));

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can create a Role granting everything (change RBAC) through an Argo CD sync", StringComparison.Ordinal) && f.Contains("RBAC lets it through", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_that_syncs_as_the_controller_gives_the_tenant_cluster_wide_rights()
    {
        var report = Evaluate((_, projects) => projects["org-a"].Spec.DestinationServiceAccounts![0].DefaultServiceAccount = "argocd:argocd-application-controller");

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: the tenant can delete the ResourceQuota (change guardrails) through an Argo CD sync as system:serviceaccount:argocd:argocd-application-controller: RBAC lets it through", StringComparison.Ordinal));
    }

    [Fact]
    public void Another_tenants_project_that_reaches_this_namespace_is_found_on_the_project_layer()
    {
        var report = Evaluate((_, projects) => projects["org-b"].Spec.Destinations!.Add(new ApplicationDestination { Server = "https://kubernetes.default.svc", Namespace = "org-a-*" }));

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: another tenant (org-b) can create a Deployment (create workloads) through an Argo CD sync: project lets it through", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tenant_that_owns_no_host_has_no_host_to_claim_and_the_foreign_host_is_refused()
    {
        var catalog = Catalog with { Organizations = [.. Catalog.Organizations.Select(o => o with { Hosts = [] })] };
        var objects = DevNamespaces.Concat(Guardrails).Select(m => Copy(m.Object)).ToList();
        var projects = DevProjects.Select(m => (AppProject)m.Object).ToDictionary(p => p.Metadata.Name, p => new ProjectRules(p));

        var report = AccessMatrix.Evaluate("dev", catalog, projects, objects, syncImpersonation: true);

        // The shipped hosts policy still lists the catalog's hosts; the probe claims the platform's argocd host.
        Assert.Empty(report.Findings);
        Assert.StartsWith("no", report.Cells.Single(c => c.Namespace == "org-a-dev" && c.Actor == Actor.Tenant && c.Column == AccessProbes.ClaimHost).Detail);
    }
}
