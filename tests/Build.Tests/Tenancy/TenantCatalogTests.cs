using Xunit;
using Platform.Build.Core.Yaml;
using Platform.Build.Tenancy;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tenancy;

/// <summary>The tenant catalog: what it accepts, how it refuses bad input, and what the Tenants target writes.</summary>
public sealed class TenantCatalogTests
{
    private const string File = "kubernetes/tenants/tenants.yaml";

    private static string Catalog => System.IO.File.ReadAllText(Repo.Path(File));

    /// <summary>The repository's catalog with one text replaced (the replacement must take).</summary>
    public static string With(string find, string replace)
    {
        Assert.Contains(find, Catalog);
        return Catalog.Replace(find, replace, StringComparison.Ordinal);
    }

    public const string OrgC = """

          - name: org-c
            description: Organization C
            groups: {admins: org-c-admins, developers: org-c-developers}
            sourceRepos:
              - https://github.com/org-c/*
            environments:
              - {name: dev, size: small}
              - {name: prod, size: large}
        """;

    [Fact]
    public void The_repository_catalog_declares_org_a_and_org_b_with_dev_and_prod()
    {
        var catalog = TenantCatalog.Parse(Catalog, File);

        Assert.Equal(["org-a", "org-b"], catalog.Organizations.Select(o => o.Name));
        Assert.Equal(["org-a-dev", "org-a-prod", "org-b-dev", "org-b-prod"], catalog.TenantNamespaces);
        Assert.Equal("medium", catalog.Organizations[0].Environments.Single(e => e.Name == "prod").Size.Name);
    }

    [Theory]
    [InlineData("    description: Organization B\n", "    description: Organization B\n    desciption: typo\n", "organizations[1].desciption: is not a known field here")]
    [InlineData("      - {name: prod, size: medium}\n", "      - {name: prod, size: huge}\n", "organizations[1].environments[1].size: 'huge' is not one of the sizes (small, medium, large)")]
    [InlineData("requestsMemory: 4Gi", "requestsMemory: 4 gigs", "sizes.small.quota.requestsMemory: '4 gigs' is not a Kubernetes quantity")]
    [InlineData("requestsCpu: \"2\", requestsMemory: 4Gi, limitsCpu: \"4\"", "requestsCpu: \"8\", requestsMemory: 4Gi, limitsCpu: \"4\"", "requests (cpu 8 > 4) exceed limits")]
    [InlineData("  - name: org-b\n", "  - name: org-a\n", "organizations[1].name: 'org-a' is declared twice")]
    [InlineData("  - name: org-b\n", "  - name: Org_B\n", "organizations[1].name: 'Org_B' must be lowercase")]
    [InlineData("      - https://github.com/org-b/*", "      - '*'", "organizations[1].sourceRepos: '*' must be a Git URL")]
    [InlineData("      - {name: dev, size: small}\n      - {name: prod, size: medium}\n", "      - {name: staging, size: small}\n      - {name: prod, size: medium}\n", "'staging' is not an environment of the platform: use one of dev, prod")]
    [InlineData("cidr: 10.30.240.0/22", "cidr: 10.0.0.0/8", "organizations[0].environments[1].egress[0].cidr: '10.0.0.0/8' is wider than /16")]
    [InlineData("cidr: 10.30.240.0/22", "cidr: 169.254.0.0/16", "holds the instance metadata address 169.254.169.254")]
    [InlineData("cidr: 10.30.240.0/22", "cidr: 10.30.240.7/22", "'10.30.240.7/22' is not an IPv4 network in CIDR form with its host bits clear")]
    [InlineData("podLabels: {app.kubernetes.io/name: sso}, cidr: 10.30.240.0/22", "cidr: 10.30.240.0/22", "egress[0].podLabels: is required")]
    [InlineData("cidr: 10.30.240.0/22, ports: [5432]", "cidr: 10.30.240.0/22, ports: [postgres]", "'postgres' is not a port number")]
    [InlineData("    namespace: monitoring\n", "    namespace: org-a-dev\n", "namespace 'org-a-dev' would be used twice or is the platform's own")]
    [InlineData("  repoURL: https://github.com/example-org/platform.git", "  repoURL: github.com/example-org/platform", "platform.repoURL: 'github.com/example-org/platform' is not an https:// or ssh Git URL")]
    [InlineData("      - \"*.org-b.platform.example.com\"", "      - sso.platform.example.com", "host 'sso.platform.example.com' of org-b overlaps 'sso.platform.example.com' of org-a")]
    [InlineData("      - \"*.org-b.platform.example.com\"", "      - \"*.platform.example.com\"", "host '*.platform.example.com' of org-b overlaps 'argocd.platform.example.com' of the platform")]
    [InlineData("      - \"*.org-b.platform.example.com\"", "      - \"*.com\"", "organizations[1].hosts: '*.com' would claim a whole top-level domain")]
    [InlineData("      - \"*.org-b.platform.example.com\"", "      - https://org-b.example.com", "organizations[1].hosts: 'https://org-b.example.com' is not a hostname")]
    [InlineData("      - {name: prod, size: medium}\n", "      - {name: prod, size: medium, cluster: staging}\n", "organizations[1].environments[1].cluster: 'staging' is not a cluster of the platform: use one of dev, prod")]
    [InlineData("  - name: org-b\n", "  - name: dev\n", "organizations[1].name: 'dev' is the name of a cluster or a rendered folder")]
    [InlineData("    hosts:\n      - \"*.org-b", "    grants:\n      - {kind: ResourceQuota, reason: we want more cpu than the others}\n    hosts:\n      - \"*.org-b", "organizations[1].grants[0].kind: 'ResourceQuota' cannot be granted to a tenant")]
    [InlineData("    hosts:\n      - \"*.org-b", "    grants:\n      - {kind: Role, reason: needs}\n    hosts:\n      - \"*.org-b", "organizations[1].grants[0].reason: is too short to review")]
    [InlineData("groups: [system:masters,", "groups: [system:authenticated,", "platform.identities.groups: 'system:authenticated' holds tenants' identities too")]
    [InlineData("groups: [system:masters, \"kubeadm:cluster-admins\", platform-admins]", "groups: [platform-admins]\n    users: [\"system:serviceaccount:argocd:argocd-application-controller\"]", "platform.identities.users: 'system:serviceaccount:argocd:argocd-application-controller' is Argo CD")]
    [InlineData("bindableClusterRoles: [view]", "bindableClusterRoles: [view, edit]", "platform.bindableClusterRoles: 'edit' can change RBAC or guardrails inside a namespace")]
    public void Bad_input_is_one_line_naming_the_file_line_and_field(string find, string replace, string expected)
    {
        var error = Assert.Throws<DataFileException>(() => TenantCatalog.Parse(With(find, replace), File));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith($"{File}:", error.Message);
        Assert.True(error.Line > 1, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_duplicate_organization_is_named_at_the_duplicate()
    {
        var text = With("\n  - name: org-b\n", "\n  - name: org-a\n");
        var line = text.Split('\n').ToList().FindLastIndex(l => l.Contains("- name: org-a", StringComparison.Ordinal)) + 1;

        var error = Assert.Throws<DataFileException>(() => TenantCatalog.Parse(text, File));

        Assert.Equal(line, error.Line);
        Assert.StartsWith($"{File}:{line}: organizations[1].name: 'org-a' is declared twice", error.Message);
    }

    [Fact]
    public void An_unknown_key_points_at_its_own_line()
    {
        var text = With("    description: Organization B\n", "    description: Organization B\n    desciption: typo\n");
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("desciption", StringComparison.Ordinal)) + 1;

        var error = Assert.Throws<DataFileException>(() => TenantCatalog.Parse(text, File));

        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Rendering_is_deterministic_and_every_file_carries_the_generated_header()
    {
        var catalog = TenantCatalog.Parse(Catalog, File);

        var first = TenantRenderer.Render(catalog);
        var second = TenantRenderer.Render(TenantCatalog.Parse(Catalog, File));

        Assert.Equal(first, second);
        Assert.All(first.Values, text => Assert.StartsWith(TenantRenderer.Header, text));
        Assert.Contains("kubernetes/namespaces/prod/org-b-prod.yaml", first.Keys);
        Assert.Contains("kubernetes/network-policies/overlays/org-b-prod/kustomization.yaml", first.Keys);
        Assert.Contains("kubernetes/guardrails/admission-hosts.yaml", first.Keys);
    }

    [Fact]
    public void Each_cluster_gets_only_what_is_placed_on_it()
    {
        var rendered = TenantRenderer.Render(TenantCatalog.Parse(Catalog, File));

        Assert.DoesNotContain(rendered.Keys, k => k.StartsWith("kubernetes/namespaces/dev/", StringComparison.Ordinal) && k.Contains("-prod", StringComparison.Ordinal));
        Assert.DoesNotContain(rendered.Keys, k => k.StartsWith("kubernetes/namespaces/prod/", StringComparison.Ordinal) && k.Contains("-dev", StringComparison.Ordinal));
        Assert.DoesNotContain("namespace: org-a-prod\n", rendered["kubernetes/argocd/projects/dev/org-a-project.yaml"]);
        Assert.Contains("namespace: org-a-dev\n", rendered["kubernetes/argocd/projects/dev/org-a-project.yaml"]);
        Assert.DoesNotContain("namespace: org-a-dev\n", rendered["kubernetes/argocd/projects/prod/org-a-project.yaml"]);
        Assert.DoesNotContain("overlays/org-b-prod", rendered["kubernetes/network-policies/dev/kustomization.yaml"]);
    }

    [Fact]
    public void A_tenant_environment_placed_on_another_cluster_goes_there_with_its_project_destination()
    {
        // The seed's single-cluster case: org-b's dev lives on the prod cluster.
        var catalog = TenantCatalog.Parse(With("      - {name: dev, size: small}\n      - {name: prod, size: medium}\n", "      - {name: dev, size: small, cluster: prod}\n      - {name: prod, size: medium}\n"), File);

        var rendered = TenantRenderer.Render(catalog);

        Assert.Contains("kubernetes/namespaces/prod/org-b-dev.yaml", rendered.Keys);
        Assert.DoesNotContain("kubernetes/namespaces/dev/org-b-dev.yaml", rendered.Keys);
        Assert.DoesNotContain("kubernetes/argocd/projects/dev/org-b-project.yaml", rendered.Keys);
        Assert.Contains("namespace: org-b-dev", rendered["kubernetes/argocd/projects/prod/org-b-project.yaml"]);
        Assert.Equal(["org-b-dev", "org-b-prod"], catalog.ForCluster("prod").Organizations.Single(o => o.Name == "org-b").Namespaces);
        Assert.Equal("prod", catalog.ClusterOf("org-b-dev"));
    }

    [Fact]
    public void Grants_open_their_kind_in_the_project_and_a_role_of_their_own_with_the_reason()
    {
        var catalog = TenantCatalog.Parse(With("    hosts:\n      - \"*.org-b", "    grants:\n      - {kind: RoleBinding, reason: binds view to its CI reader account}\n    hosts:\n      - \"*.org-b"), File);

        var rendered = TenantRenderer.Render(catalog);

        Assert.Contains("kind: RoleBinding", rendered["kubernetes/argocd/projects/dev/org-b-project.yaml"]);
        Assert.DoesNotContain("kind: RoleBinding", rendered["kubernetes/argocd/projects/dev/org-a-project.yaml"]);
        var role = rendered["kubernetes/guardrails/grants-org-b.yaml"];
        Assert.Contains("binds view to its CI reader account", role);
        Assert.Contains("resourceNames: ['view']".Replace('\'', '"'), role);
        Assert.Contains("name: platform-tenant-grants-org-b", rendered["kubernetes/namespaces/dev/org-b-dev.yaml"]);
    }

    [Fact]
    public void The_committed_files_are_what_the_catalog_renders()
    {
        var catalog = TenantCatalog.Parse(Catalog, File);

        foreach (var (path, text) in TenantRenderer.Render(catalog))
        {
            Assert.True(System.IO.File.Exists(Repo.Path(path)), $"{path} is not committed: run ./build.sh --target=Tenants");
            Assert.Equal(text, System.IO.File.ReadAllText(Repo.Path(path)));
        }
    }

    [Fact]
    public void The_Tenants_target_writes_a_new_organization_and_removes_a_dropped_one()
    {
        using var repo = TempRepo.WithTracked("specs", "kubernetes");
        repo.Write(File, repo.Read(File).Replace("\n  - name: org-b", OrgC + "\n\n  - name: org-b", StringComparison.Ordinal));

        var added = BuildRun.Platform($"--working={repo.Root}", "--target=Tenants");

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("name: org-c-prod", repo.Read("kubernetes/namespaces/prod/org-c-prod.yaml"));
        Assert.Contains("- org-c-project.yaml", repo.Read("kubernetes/argocd/projects/prod/kustomization.yaml"));

        // Drop org-b: its generated files go, hand-written files stay.
        var text = repo.Read(File);
        repo.Write(File, text[..text.IndexOf("\n  - name: org-b", StringComparison.Ordinal)] + "\n");
        var dropped = BuildRun.Platform($"--working={repo.Root}", "--target=Tenants");

        Assert.Equal(0, dropped.ExitCode);
        Assert.False(System.IO.File.Exists(repo.Path("kubernetes/namespaces/dev/org-b-dev.yaml")));
        Assert.False(System.IO.File.Exists(repo.Path("kubernetes/network-policies/org-b/allow-ingress.yaml")));
        Assert.False(System.IO.File.Exists(repo.Path("kubernetes/argocd/projects/prod/org-b-project.yaml")));
        Assert.True(System.IO.File.Exists(repo.Path("kubernetes/argocd/projects/base/default-project.yaml")));
        Assert.True(System.IO.File.Exists(repo.Path("kubernetes/namespaces/README.md")));
    }

    [Fact]
    public void An_invalid_catalog_fails_the_Tenants_target_and_changes_nothing()
    {
        using var repo = TempRepo.WithTracked("specs", "kubernetes");
        var before = Directory.EnumerateFiles(repo.Path("kubernetes"), "*", SearchOption.AllDirectories).ToDictionary(f => f, System.IO.File.ReadAllText);
        repo.Write(File, repo.Read(File).Replace("size: medium}", "size: huge}", StringComparison.Ordinal));

        var result = BuildRun.Platform($"--working={repo.Root}", "--target=Tenants");

        Assert.Equal(1, result.ExitCode);
        var row = ReportFile.Row(repo.Root, "Tenants", "Tenant manifests rendered");
        Assert.Equal("Failed", row.Status);
        Assert.StartsWith($"{File}:", row.Detail);
        Assert.Contains("'huge' is not one of the sizes", row.Detail);
        foreach (var (path, text) in before.Where(b => !b.Key.EndsWith("tenants.yaml", StringComparison.Ordinal)))
        {
            Assert.Equal(text, System.IO.File.ReadAllText(path));
        }
    }
}
