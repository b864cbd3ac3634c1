using Xunit;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy;
using Platform.Build.Tenancy.Projects;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tenancy;

/// <summary>Argo CD's project rules, simulated: globs, deny entries, kinds; and the check over the repository.</summary>
public sealed class ProjectEnforcementTests
{
    private static AppProject Project(string yaml) => (AppProject)ManifestParser.Parse($"""
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: org-a
          namespace: argocd
        spec:
        {yaml}
        """, "test.yaml")[0].Object;

    /// <summary>The projects of one cluster: the platform's (base/) and the organizations' placed there.</summary>
    private static IReadOnlyDictionary<string, ProjectRules> RepoProjects(string cluster = "dev")
    {
        var projects = Directory.EnumerateFiles(Repo.Path("kubernetes/argocd/projects/base"), "*.yaml")
            .Concat(Directory.EnumerateFiles(Repo.Path($"kubernetes/argocd/projects/{cluster}"), "*.yaml"))
            .Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(f => ManifestParser.Parse(File.ReadAllText(f), f)).Select(m => (AppProject)m.Object);
        return projects.ToDictionary(p => p.Metadata.Name, p => new ProjectRules(p));
    }

    private static Application App(string project, string ns, string repo = "https://github.com/example-org/platform.git") => (Application)ManifestParser.Parse($"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: sso-dev
          namespace: argocd
        spec:
          project: {project}
          source:
            repoURL: {repo}
            path: kubernetes/apps/sso/overlays/dev
            targetRevision: HEAD
          destination:
            server: https://kubernetes.default.svc
            namespace: {ns}
        """, "app.yaml")[0].Object;

    [Theory]
    [InlineData("https://github.com/org-a/*", "https://github.com/org-a/app.git", null, true)]
    [InlineData("https://github.com/org-a/*", "https://github.com/org-a/team/app", '/', false)]
    [InlineData("https://github.com/org-a/**", "https://github.com/org-a/team/app", '/', true)]
    [InlineData("org-?-dev", "org-a-dev", null, true)]
    [InlineData("org-[ab]-dev", "org-c-dev", null, false)]
    [InlineData("org-[!ab]-dev", "org-c-dev", null, true)]
    [InlineData("{org-a,org-b}-prod", "org-b-prod", null, true)]
    [InlineData("org-a-*", "org-a-dev", null, true)]
    [InlineData("org-a-*", "org-ab-dev", null, false)]
    [InlineData("[unclosed", "[unclosed", null, false)]
    public void Globs_match_as_Argo_CD_matches_them(string pattern, string text, char? separator, bool expected) =>
        Assert.Equal(expected, ArgoGlob.Match(pattern, text, separator));

    [Fact]
    public void Repositories_compare_normalized_and_deny_entries_win()
    {
        var rules = new ProjectRules(Project("""
              sourceRepos:
                - https://github.com/org-a/*
                - '!https://github.com/org-a/secret*'
            """));

        Assert.True(rules.SourcePermitted("https://GitHub.com/org-a/App.git/"));
        Assert.False(rules.SourcePermitted("https://github.com/org-a/secret-keys"));
        Assert.False(rules.SourcePermitted("https://github.com/org-b/app"));
    }

    [Fact]
    public void A_namespace_deny_entry_refuses_what_it_names_and_admits_the_rest()
    {
        var rules = new ProjectRules(Project("""
              destinations:
                - server: '*'
                  namespace: '!kube-system'
            """));

        Assert.False(rules.DestinationPermitted("https://kubernetes.default.svc", null, "kube-system"));
        Assert.True(rules.DestinationPermitted("https://kubernetes.default.svc", null, "org-a-dev"));
    }

    [Fact]
    public void Kinds_follow_the_white_and_black_lists()
    {
        var rules = new ProjectRules(Project("""
              clusterResourceWhitelist: []
              namespaceResourceBlacklist:
                - group: ""
                  kind: ResourceQuota
                - group: "networking.k8s.io"
                  kind: "*"
            """));

        Assert.True(rules.KindPermitted("apps", "Deployment", clusterScoped: false));
        Assert.False(rules.KindPermitted(string.Empty, "ResourceQuota", clusterScoped: false));
        Assert.False(rules.KindPermitted("networking.k8s.io", "Ingress", clusterScoped: false));
        Assert.False(rules.KindPermitted(string.Empty, "Namespace", clusterScoped: true));
    }

    [Fact]
    public void An_Application_of_org_a_aimed_at_org_b_is_refused_with_Argo_CDs_message()
    {
        var findings = ProjectEnforcement.Check(App("org-a", "org-b-dev"), RepoProjects(), null);

        Assert.Equal(["application destination server 'https://kubernetes.default.svc' and namespace 'org-b-dev' do not match any of the allowed destinations in project 'org-a'"], findings);
    }

    [Fact]
    public void An_Application_in_its_own_namespace_from_a_listed_repository_passes()
    {
        Assert.Empty(ProjectEnforcement.Check(App("org-a", "org-a-dev"), RepoProjects(), null));
    }

    [Fact]
    public void Org_b_may_not_read_the_repositories_only_org_a_lists()
    {
        var findings = ProjectEnforcement.Check(App("org-b", "org-b-dev", "https://github.com/org-a/payments.git"), RepoProjects(), null);

        Assert.Equal(["application repo https://github.com/org-a/payments.git is not permitted in project 'org-b'"], findings);
    }

    [Fact]
    public void An_Application_without_a_project_lands_in_the_locked_default_project()
    {
        var findings = ProjectEnforcement.Check(App(string.Empty, "org-a-dev"), RepoProjects(), null);

        Assert.Contains(findings, f => f.Contains("is not permitted in project 'default'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("allowed destinations in project 'default'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rendered_ResourceQuota_or_a_foreign_namespace_is_refused()
    {
        var rendered = ManifestParser.Parse("""
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: more
            spec:
              hard:
                pods: "1000"
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: sneaky
              namespace: org-b-prod
            """, "rendered");

        var findings = ProjectEnforcement.Check(App("org-a", "org-a-dev"), RepoProjects(), rendered);

        Assert.Equal(2, findings.Count);
        Assert.StartsWith("resource :ResourceQuota is not permitted in project org-a", findings[0]);
        Assert.StartsWith("namespace org-b-prod is not permitted in project 'org-a'", findings[1]);
    }

    [Fact]
    public void The_repository_projects_pass_every_boundary_probe()
    {
        var catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath);

        foreach (var cluster in TenantLayout.Clusters)
        {
            var (findings, probes) = ProjectEnforcement.CheckBoundaries(catalog.ForCluster(cluster), RepoProjects(cluster));

            Assert.Empty(findings);
            Assert.True(probes > 50, $"{probes} probes");
        }
    }

    [Theory]
    [InlineData("Role")]
    [InlineData("RoleBinding")]
    [InlineData("Secret")]
    public void A_project_that_blacklists_guardrails_instead_of_listing_tenant_kinds_lets_RBAC_through(string kind)
    {
        // The attack of issue 10: a blacklist of quota, limits and policies admits Role, RoleBinding and Secret.
        var catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath).ForCluster("dev");
        var projects = RepoProjects().ToDictionary(p => p.Key, p => p.Value);
        projects["org-a"] = new ProjectRules(Project("""
              sourceRepos: ['https://github.com/org-a/*']
              destinations:
                - server: https://kubernetes.default.svc
                  namespace: org-a-dev
              clusterResourceWhitelist: []
              namespaceResourceBlacklist:
                - {group: '', kind: ResourceQuota}
                - {group: '', kind: LimitRange}
                - {group: networking.k8s.io, kind: NetworkPolicy}
            """));

        var (findings, _) = ProjectEnforcement.CheckBoundaries(catalog, projects);

        Assert.Contains(findings, f => f.EndsWith($":{kind}", StringComparison.Ordinal) && f.StartsWith("org-a: may create", StringComparison.Ordinal));
    }

    [Fact]
    public void A_project_opened_to_every_namespace_fails_the_probes()
    {
        var catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        var projects = RepoProjects().ToDictionary(p => p.Key, p => p.Value);
        projects["org-a"] = new ProjectRules(Project("""
              sourceRepos: ['*']
              destinations:
                - server: https://kubernetes.default.svc
                  namespace: 'org-*'
              clusterResourceWhitelist:
                - group: '*'
                  kind: '*'
            """));

        var (findings, _) = ProjectEnforcement.CheckBoundaries(catalog, projects);

        Assert.Contains("org-a: can deploy into org-b-dev, which is not its own", findings);
        Assert.Contains("org-a: may create :Namespace", findings);
        Assert.Contains("org-a: may create :ResourceQuota", findings);
        Assert.Contains("org-a: reads repositories it does not list", findings);
    }

    [Fact]
    public void The_build_fails_an_Application_aimed_at_another_tenant_and_a_tenant_manifest_with_a_ResourceQuota()
    {
        using var repo = TempRepo.WithTracked("specs", "kubernetes");
        repo.Write("kubernetes/argocd/applications/bad.yaml", """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: org-a-into-org-b
              namespace: argocd
            spec:
              project: org-a
              source:
                repoURL: https://github.com/example-org/platform.git
                path: kubernetes/apps/greedy
              destination:
                server: https://kubernetes.default.svc
                namespace: org-b-dev
            """);
        repo.Write("kubernetes/apps/greedy/kustomization.yaml", "resources:\n  - quota.yaml\n");
        repo.Write("kubernetes/apps/greedy/quota.yaml", "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: more\nspec:\n  hard:\n    pods: \"1000\"\n");

        var result = BuildRun.Platform($"--working={repo.Root}", "--target=ConfigureArgoCdProjects", "--exclusive");

        Assert.Equal(1, result.ExitCode);
        var row = ReportFile.Row(repo.Root, "ConfigureArgoCdProjects", "Cannot deploy outside allowed namespaces");
        Assert.Equal("Failed", row.Status);
        Assert.Contains("Application org-a-into-org-b (kubernetes/argocd/applications/bad.yaml:1): application destination server 'https://kubernetes.default.svc' and namespace 'org-b-dev' do not match", row.Detail);
        Assert.Contains("resource :ResourceQuota is not permitted in project org-a", row.Detail);
    }
}
