using Xunit;
using Platform.Build.Apps;
using Platform.Build.ArgoCd;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Tenancy;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tenancy;

/// <summary>
/// The guardrail checks on broken copies of the repository, as a careless change
/// would break them: each must fail naming the object and the rule; the shipped
/// files pass. Checks run through a real context (real kubectl kustomize).
/// </summary>
public sealed class GuardrailChecksTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes");

    public void Dispose() => _repo.Dispose();

    private Outcome Run(Func<global::Platform.Build.Core.Context.BuildContext, Outcome> check, params string[] arguments) => check(PlatformContext.Create(_repo.Root, null, arguments));

    private void Edit(string file, string find, string replace) => _repo.Edit(file, find, replace);

    [Fact]
    public void The_shipped_guardrails_pass_every_check()
    {
        Assert.Equal(CheckStatus.Passed, Run(TenantAccessChecks.DeployerLeastPrivilege).Status);
        Assert.Equal(CheckStatus.Passed, Run(TenantAccessChecks.AdmissionPolicies).Status);
        Assert.Equal(CheckStatus.Passed, Run(TenancyChecks.ProjectPermissions).Status);
        Assert.Equal(CheckStatus.Passed, Run(TenancyChecks.NamespaceGuardrails).Status);
        var table = Run(TenantAccessChecks.WhoCanChangeWhat);
        Assert.True(table.Status == CheckStatus.Passed, table.Detail);
    }

    [Fact]
    public void A_deployer_role_with_RoleBindings_or_impersonate_fails_least_privilege()
    {
        Edit("kubernetes/guardrails/deployer-clusterrole.yaml", "rules:\n", "rules:\n  - apiGroups: [\"rbac.authorization.k8s.io\"]\n    resources: [\"rolebindings\"]\n    verbs: [\"create\"]\n  - apiGroups: [\"\"]\n    resources: [\"serviceaccounts\"]\n    verbs: [\"impersonate\"]\n");

        var outcome = Run(TenantAccessChecks.DeployerLeastPrivilege);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("ClusterRole platform-tenant-deployer: grants create on rbac.authorization.k8s.io/rolebindings, which tenants may not touch", outcome.Detail);
        Assert.Contains("ClusterRole platform-tenant-deployer: grants 'impersonate' on serviceaccounts", outcome.Detail);
    }

    [Fact]
    public void A_deployer_role_that_aggregates_other_roles_is_named()
    {
        Edit("kubernetes/guardrails/deployer-clusterrole.yaml", "rules:\n", "aggregationRule:\n  clusterRoleSelectors:\n    - matchLabels:\n        rbac.example.com/aggregate-to-tenants: \"true\"\nrules:\n");

        var outcome = Run(TenantAccessChecks.DeployerLeastPrivilege);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("ClusterRole platform-tenant-deployer: has an aggregationRule, so any ClusterRole with its labels adds rights to it", outcome.Detail);
    }

    [Fact]
    public void Impersonation_switched_off_in_Argo_CD_fails_least_privilege_and_the_settings_check()
    {
        Edit("kubernetes/argocd/install/values.yaml", "application.sync.impersonation.enabled: \"true\"", "application.sync.impersonation.enabled: \"false\"");

        var outcome = Run(TenantAccessChecks.DeployerLeastPrivilege);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: kubernetes/argocd/install: configs.cm.\"application.sync.impersonation.enabled\" is not \"true\"", outcome.Detail);
        Assert.Contains("without it every tenant sync runs with the controller's cluster-wide rights", Run(ArgoCdChecks.ArgoCdSettings).Detail);
        Assert.Contains("tenant syncs run as system:serviceaccount:argocd:argocd-application-controller", Run(TenantAccessChecks.WhoCanChangeWhat).Detail);
    }

    [Theory]
    [InlineData("failurePolicy: Fail", "failurePolicy: Ignore", "failurePolicy must be Fail")]
    [InlineData("validationActions: [Deny]", "validationActions: [Warn]", "validationActions must include Deny")]
    [InlineData("!has(object.spec.defaultBackend)", "!has(object.spec.defaultBackend", "CEL does not compile")]
    [InlineData("          operator: Exists", "          operator: DoesNotExist", "its binding must select namespaces with the organization label")]
    public void A_broken_admission_policy_is_named(string find, string replace, string expected)
    {
        Edit("kubernetes/guardrails/admission-hosts.yaml", find, replace);

        var outcome = Run(TenantAccessChecks.AdmissionPolicies);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"{GuardrailRenderer.HostsPolicy}", outcome.Detail);
        Assert.Contains(expected, outcome.Detail);
    }

    [Fact]
    public void A_policy_without_its_binding_guards_nothing()
    {
        var text = _repo.Read("kubernetes/guardrails/admission-rbac.yaml");
        _repo.Write("kubernetes/guardrails/admission-rbac.yaml", text[..text.IndexOf("---", StringComparison.Ordinal)]);

        var outcome = Run(TenantAccessChecks.AdmissionPolicies);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("platform-tenant-rbac: no ValidatingAdmissionPolicyBinding: the policy guards nothing", outcome.Detail);
    }

    [Theory]
    [InlineData("  namespaceResourceWhitelist:\n", "  namespaceResourceWhitelist:\n    - group: \"rbac.authorization.k8s.io\"\n      kind: RoleBinding\n", "namespaceResourceWhitelist lists rbac.authorization.k8s.io:RoleBinding, which tenants may not create")]
    [InlineData("      defaultServiceAccount: platform-deployer\n", "      defaultServiceAccount: argocd:argocd-application-controller\n", "destinationServiceAccounts must map org-a-dev to platform-deployer, found argocd:argocd-application-controller")]
    [InlineData("      namespace: org-a-dev\n  destinationServiceAccounts:", "      namespace: org-a-dev\n    - server: \"https://kubernetes.default.svc\"\n      namespace: org-a-prod\n  destinationServiceAccounts:", "destinations must be exactly its namespaces on this cluster (org-a-dev), found org-a-prod")]
    public void A_widened_project_is_named_on_its_cluster(string find, string replace, string expected)
    {
        Edit("kubernetes/argocd/projects/dev/org-a-project.yaml", find, replace);

        var outcome = Run(TenancyChecks.ProjectPermissions);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"dev: AppProject org-a: {expected}", outcome.Detail);
    }

    [Fact]
    public void A_project_that_blacklists_instead_of_whitelisting_is_named()
    {
        var file = "kubernetes/argocd/projects/dev/org-b-project.yaml";
        var text = _repo.Read(file);
        var start = text.IndexOf("  namespaceResourceWhitelist:", StringComparison.Ordinal);
        var end = text.IndexOf("  # Report objects", StringComparison.Ordinal);
        _repo.Write(file, text[..start] + "  namespaceResourceBlacklist:\n    - {group: \"\", kind: ResourceQuota}\n" + text[end..]);

        var outcome = Run(TenancyChecks.ProjectPermissions);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: AppProject org-b: has no namespaceResourceWhitelist: list the kinds tenants may create", outcome.Detail);
        Assert.Contains("org-b-dev: the tenant can bind cluster-admin in the namespace (change RBAC) through an Argo CD sync as system:serviceaccount:org-b-dev:platform-deployer: project lets it through", Run(TenantAccessChecks.WhoCanChangeWhat).Detail);
    }

    [Fact]
    public void A_namespace_without_its_deployer_binding_is_named()
    {
        var file = "kubernetes/namespaces/dev/org-b-dev.yaml";
        var text = _repo.Read(file);
        _repo.Write(file, text[..text.LastIndexOf("---", StringComparison.Ordinal)]);

        var outcome = Run(TenancyChecks.NamespaceGuardrails);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("org-b-dev: no RoleBinding of ClusterRole platform-tenant-deployer to platform-deployer", outcome.Detail);
        Assert.Contains("org-b-dev: the tenant cannot create a Deployment (create workloads), which it must be able to", Run(TenantAccessChecks.WhoCanChangeWhat).Detail);
    }

    [Fact]
    public void An_sso_Ingress_for_another_organizations_host_is_named_with_its_owner()
    {
        Edit("kubernetes/apps/sso/overlays/dev/kustomization.yaml", "value: sso.dev.platform.example.com\n      - op: replace\n        path: /spec/rules/0/host\n        value: sso.dev.platform.example.com",
            "value: sso.dev.platform.example.com\n      - op: replace\n        path: /spec/rules/0/host\n        value: login.org-b.platform.example.com");
        var app = global::Platform.Build.Apps.TenantApplication.Sso;

        var outcome = ApplicationChecks.HostsOwned(PlatformContext.Create(_repo.Root), app);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: Ingress/sso in org-a-dev", outcome.Detail);
        Assert.Contains("host login.org-b.platform.example.com is org-b's, not org-a's", outcome.Detail);
    }

    [Fact]
    public void Validate_fails_on_the_issues_attack_naming_the_project_the_namespace_and_the_rule()
    {
        // A careless edit of a generated project back to the blacklist of the seed's era.
        var file = "kubernetes/argocd/projects/dev/org-a-project.yaml";
        var text = _repo.Read(file);
        var start = text.IndexOf("  namespaceResourceWhitelist:", StringComparison.Ordinal);
        var end = text.IndexOf("  # Report objects", StringComparison.Ordinal);
        _repo.Write(file, text[..start] + "  namespaceResourceBlacklist:\n    - {group: \"\", kind: ResourceQuota}\n" + text[end..]);

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=ConfigureArgoCdProjects", "--exclusive", "--env=dev");

        Assert.Equal(1, run.ExitCode);
        var row = ReportFile.Row(_repo.Root, "ConfigureArgoCdProjects", "Who can change what: tenants cannot change RBAC, guardrails or namespace labels, read Secrets or claim others' hosts");
        Assert.Equal("Failed", row.Status);
        Assert.Contains("org-a-dev: the tenant can bind cluster-admin in the namespace (change RBAC) through an Argo CD sync as system:serviceaccount:org-a-dev:platform-deployer: project lets it through (AppProject org-a permits rbac.authorization.k8s.io:RoleBinding in org-a-dev)", row.Detail);
        Assert.Contains("kubernetes/argocd/projects/dev/org-a-project.yaml differs from what kubernetes/tenants/tenants.yaml renders", ReportFile.Row(_repo.Root, "ConfigureArgoCdProjects", "Generated from the tenant catalog and current").Detail);
        Assert.Contains("## Who can change what (computed from the AppProjects, RBAC and admission policies), dev cluster", _repo.Read("artifacts/reports/summary.md"));
        Assert.DoesNotContain("prod cluster", _repo.Read("artifacts/reports/summary.md"));
    }

    [Fact]
    public void A_policy_too_tight_for_the_platforms_own_app_fails_the_positive_control()
    {
        Edit("kubernetes/guardrails/admission-hosts.yaml", "            'nginx.ingress.kubernetes.io/ssl-redirect',\n", string.Empty);

        var outcome = ApplicationChecks.Admitted(PlatformContext.Create(_repo.Root), global::Platform.Build.Apps.TenantApplication.Sso);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: Ingress/sso in org-a-dev", outcome.Detail);
        Assert.Contains("is refused by platform-tenant-hosts: a tenant Ingress may carry only these ingress-nginx annotations", outcome.Detail);
    }

    [Fact]
    public void A_platform_project_without_its_sync_account_cannot_sync_and_is_named()
    {
        var file = "kubernetes/argocd/projects/base/platform-project.yaml";
        var text = _repo.Read(file);
        var start = text.IndexOf("  # Sync impersonation is on", StringComparison.Ordinal);
        var end = text.IndexOf("  clusterResourceWhitelist:", StringComparison.Ordinal);
        _repo.Write(file, text[..start] + text[end..]);

        var outcome = Run(TenancyChecks.ProjectPermissions);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: AppProject platform: destination monitoring has no destinationServiceAccount: with sync impersonation on, Argo CD cannot sync it", outcome.Detail);
    }

    [Fact]
    public void A_tenant_role_with_every_application_action_is_named()
    {
        Edit("kubernetes/argocd/projects/dev/org-a-project.yaml", "applications, sync, org-a/*, allow\n        - p, proj:org-a:admin, logs", "applications, *, org-a/*, allow\n        - p, proj:org-a:admin, logs");

        var outcome = Run(TenancyChecks.ProjectPermissions);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: AppProject org-a: role admin policy 'p, proj:org-a:admin, applications, *, org-a/*, allow' grants 'applications, *': Argo CD would act with its own rights", outcome.Detail);
    }

    [Fact]
    public void A_quota_without_object_counts_is_named()
    {
        Edit("kubernetes/namespaces/dev/org-a-dev.yaml", "    count/secrets: \"100\"\n", string.Empty);

        var outcome = Run(TenancyChecks.NamespaceGuardrails);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("org-a-dev: ResourceQuota lacks count/secrets", outcome.Detail);
    }

    [Fact]
    public void An_object_over_the_API_servers_size_limit_is_named_before_any_apply()
    {
        // Issue 11: alias expansion once rendered a 7 MB AppProject; it rendered fine and failed at apply.
        var file = "kubernetes/argocd/projects/dev/org-a-project.yaml";
        var repos = string.Concat(Enumerable.Range(0, 40_000).Select(i => $"    - \"https://github.com/org-a/repository-number-{i}\"\n"));
        Edit(file, "  sourceRepos:\n", "  sourceRepos:\n" + repos);

        var outcome = KubernetesChecks.RenderStrict(PlatformContext.Create(_repo.Root), "kubernetes/argocd/projects/dev");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("AppProject/org-a in argocd", outcome.Detail);
        Assert.Contains("over the API server's object size limit (1536 KiB, etcd's request limit): split it", outcome.Detail);
    }

    [Fact]
    public void A_dev_run_checks_the_dev_cluster_only_and_a_prod_run_the_prod_cluster_only()
    {
        var dev = Run(TenancyChecks.NamespaceGuardrails, "--env=dev");
        var prod = Run(TenancyChecks.NamespaceGuardrails, "--env=prod");
        var both = Run(TenancyChecks.NamespaceGuardrails);

        Assert.StartsWith("dev: 2 namespaces", dev.Detail);
        Assert.DoesNotContain("prod:", dev.Detail);
        Assert.StartsWith("prod: 2 namespaces", prod.Detail);
        Assert.DoesNotContain("dev:", prod.Detail);
        Assert.Contains("; prod: 2 namespaces", both.Detail);
    }

    [Fact]
    public void A_prod_namespace_copied_into_the_dev_cluster_is_named()
    {
        _repo.Write("kubernetes/namespaces/dev/org-a-prod.yaml", _repo.Read("kubernetes/namespaces/prod/org-a-prod.yaml"));
        Edit("kubernetes/namespaces/dev/kustomization.yaml", "resources:\n", "resources:\n  - org-a-prod.yaml\n");

        var outcome = Run(TenancyChecks.NamespaceGuardrails, "--env=dev");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: org-a-prod is placed on the prod cluster, not this one", outcome.Detail);
    }
}
