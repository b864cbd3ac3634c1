using Xunit;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Network;
using Platform.Build.Tenancy;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tenancy;

/// <summary>
/// The NetworkPolicy evaluator on crafted policy sets (Kubernetes semantics and
/// the classic mistakes), and the isolation check on the repository's own policies.
/// </summary>
public sealed class NetworkIsolationTests
{
    private static readonly TenantCatalog Catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath);

    private static readonly Dictionary<string, string> NoLabels = [];

    /// <summary>The policies the repository renders for every tenant namespace (as kustomize would: base + org, namespace set).</summary>
    private static List<V1NetworkPolicy> RepoPolicies(Func<string, string>? edit = null)
    {
        var policies = new List<V1NetworkPolicy>();
        foreach (var org in Catalog.Organizations)
        {
            var files = Directory.EnumerateFiles(Repo.Path("kubernetes/network-policies/base"), "*.yaml").Append(Repo.Path($"kubernetes/network-policies/{org.Name}/allow-ingress.yaml"))
                .Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal));
            foreach (var ns in org.Namespaces)
            {
                // The overlay adds the namespace's reviewed egress exceptions.
                var overlay = Directory.EnumerateFiles(Repo.Path($"kubernetes/network-policies/overlays/{ns}"), "*.yaml")
                    .Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal));
                foreach (var file in files.Concat(overlay))
                {
                    var text = File.ReadAllText(file);
                    foreach (var manifest in ManifestParser.Parse(edit is null ? text : edit(text), file))
                    {
                        var policy = (V1NetworkPolicy)manifest.Object;
                        policy.Metadata.NamespaceProperty = ns;
                        policies.Add(policy);
                    }
                }
            }
        }

        return policies;
    }

    private static IEnumerable<V1Namespace> RepoNamespaces() =>
        Directory.EnumerateFiles(Repo.Path("kubernetes/namespaces"), "org-*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => ManifestParser.Parse(File.ReadAllText(f), f)).Select(m => m.Object).OfType<V1Namespace>();

    private static V1NetworkPolicy Policy(string ns, string spec) => (V1NetworkPolicy)ManifestParser.Parse($"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: test
          namespace: {ns}
        spec:
        {spec}
        """, "test.yaml")[0].Object;

    private static Endpoint Pod(string ns, string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? nsLabels = null) =>
        Endpoint.Pod(ns, name, nsLabels ?? NoLabels, labels ?? new Dictionary<string, string> { ["app"] = name }, new ContainerPort("http", 8080), new ContainerPort("dns", 53, "UDP"));

    [Fact]
    public void The_repository_policies_keep_tenants_apart_and_allow_only_the_rules()
    {
        var report = TenantIsolation.Evaluate(Catalog, RepoPolicies(), RepoNamespaces());

        Assert.Empty(report.Findings);
        var cells = report.NamespaceFlows.ToDictionary(f => (f.Source, f.Destination), f => f.Ports.ToString());
        Assert.Equal("all", cells[("org-a-dev", "org-a-dev")]);
        Assert.Equal("none", cells[("org-a-dev", "org-b-dev")]);
        Assert.Equal("none", cells[("org-a-dev", "org-a-prod")]);
        Assert.Equal("TCP 53, UDP 53", cells[("org-b-prod", "kube-system")]);
        Assert.Equal("TCP 8080", cells[("ingress-nginx", "org-a-prod")]);
        Assert.Equal("TCP 9090", cells[("monitoring", "org-b-dev")]);
        Assert.Equal("none", cells[("org-a-dev", "instance-metadata")]);
        Assert.Equal("none", cells[("internet", "org-a-dev")]);
        Assert.Contains("| **org-b-prod** |", report.Matrix());
    }

    [Fact]
    public void An_egress_exception_opens_its_port_for_its_pods_only()
    {
        var report = TenantIsolation.Evaluate(Catalog, RepoPolicies(), RepoNamespaces());
        var policies = new PolicyEvaluator(RepoPolicies());
        var database = report.Endpoints.Single(e => e.Name == "org-a-prod:sso-database");
        var sso = report.Endpoints.Single(e => e.Id == "org-a-prod/egress-sso-database");
        var other = report.Endpoints.Single(e => e.Id == "org-a-prod/app");

        Assert.Empty(report.Findings);
        Assert.Equal("TCP 5432", policies.Allowed(sso, database).ToString());
        Assert.Equal("none", policies.Allowed(other, database).ToString());
        Assert.Equal("none", policies.Allowed(report.Endpoints.Single(e => e.Id == "org-b-prod/app"), database).ToString());
        Assert.Equal("none", policies.Allowed(report.Endpoints.Single(e => e.Id == "org-a-dev/egress-sso-database"), database).ToString());
    }

    [Fact]
    public void An_egress_exception_widened_to_every_pod_is_caught()
    {
        var policies = RepoPolicies(text => text.Replace("  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: sso", "  podSelector: {}", StringComparison.Ordinal));

        var report = TenantIsolation.Evaluate(Catalog, policies, RepoNamespaces());

        Assert.Contains(report.Findings, f => f.StartsWith("org-a-prod/app -> org-a-prod:sso-database: TCP 5432 passes, but nothing else passes to or from a tenant namespace", StringComparison.Ordinal));
    }

    [Fact]
    public void A_port_only_DNS_rule_opens_53_to_everyone_and_is_caught_on_the_egress_side()
    {
        var policies = RepoPolicies(text => text.Contains("name: allow-dns", StringComparison.Ordinal)
            ? text[..text.IndexOf("    - to:", StringComparison.Ordinal)] + "    - ports:\n        - protocol: UDP\n          port: 53\n        - protocol: TCP\n          port: 53\n"
            : text);

        var report = TenantIsolation.Evaluate(Catalog, policies, RepoNamespaces());

        Assert.Contains("org-a-dev/app -> org-b-dev/app: org-a-dev's egress lets TCP 53, UDP 53 out; only org-b-dev's ingress stops it (nothing passes between tenant namespaces)", report.Findings);
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev/app -> internet: TCP 53, UDP 53 passes", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_namespaceSelector_opens_every_namespace()
    {
        var policies = RepoPolicies(text => text.Replace("    - from:\n        - podSelector: {}", "    - from:\n        - namespaceSelector: {}", StringComparison.Ordinal));

        var report = TenantIsolation.Evaluate(Catalog, policies, RepoNamespaces());

        Assert.Contains("org-b-dev/app -> org-a-dev/app: org-a-dev's ingress lets all in; only org-b-dev's egress stops it (nothing passes between tenant namespaces)", report.Findings);
        Assert.Contains(report.Findings, f => f.StartsWith("ingress-nginx/controller -> org-a-dev/app: all passes", StringComparison.Ordinal));
    }

    [Fact]
    public void A_default_deny_that_selects_no_pod_leaves_the_namespace_open()
    {
        var policies = RepoPolicies(text => text.Replace("  name: default-deny\nspec:\n  podSelector: {}", "  name: default-deny\nspec:\n  podSelector:\n    matchLabels:\n      app: web", StringComparison.Ordinal));

        var report = TenantIsolation.Evaluate(Catalog, policies, RepoNamespaces());

        Assert.Contains("org-a-dev/default-deny: selects no pod (of the probes and workloads): check its podSelector", report.Findings);
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev: no default-deny Ingress policy", StringComparison.Ordinal));
    }

    [Fact]
    public void No_policies_at_all_fail_every_rule()
    {
        var report = TenantIsolation.Evaluate(Catalog, [], RepoNamespaces());

        Assert.Contains("org-a-dev: no NetworkPolicy at all: every pod is open both ways", report.Findings);
        Assert.Contains(report.Findings, f => f.StartsWith("org-a-dev/app -> org-b-dev/app: all passes", StringComparison.Ordinal) && f.EndsWith("(traffic between organizations)", StringComparison.Ordinal));
    }

    /// <summary>The policies and namespaces a catalog renders, as kustomize would lay them out (base, org, overlay; namespace set).</summary>
    private static (List<V1NetworkPolicy> Policies, List<V1Namespace> Namespaces) Rendered(TenantCatalog catalog)
    {
        var rendered = TenantRenderer.Render(catalog);
        var policies = new List<V1NetworkPolicy>();
        foreach (var org in catalog.Organizations)
        {
            foreach (var ns in org.Namespaces)
            {
                var texts = rendered.Where(r => r.Key.StartsWith("kubernetes/network-policies/base/", StringComparison.Ordinal) || r.Key == $"kubernetes/network-policies/{org.Name}/allow-ingress.yaml"
                        || r.Key == $"kubernetes/network-policies/overlays/{ns}/allow-egress.yaml")
                    .Where(r => !r.Key.EndsWith("kustomization.yaml", StringComparison.Ordinal));
                foreach (var (key, text) in texts)
                {
                    foreach (var policy in ManifestParser.Parse(text, key).Select(m => (V1NetworkPolicy)m.Object))
                    {
                        policy.Metadata.NamespaceProperty = ns;
                        policies.Add(policy);
                    }
                }
            }
        }

        var namespaces = rendered.Where(r => r.Key.StartsWith("kubernetes/namespaces/", StringComparison.Ordinal) && r.Key.Contains("/org-", StringComparison.Ordinal))
            .SelectMany(r => ManifestParser.Parse(r.Value, r.Key)).Select(m => m.Object).OfType<V1Namespace>().ToList();
        return (policies, namespaces);
    }

    [Fact]
    public void A_third_organization_gets_its_own_isolation_row()
    {
        var catalog = TenantCatalog.Parse(TenantCatalogTests.With("\n  - name: org-b", TenantCatalogTests.OrgC + "\n\n  - name: org-b"), TenantCatalog.RelativePath);
        var (policies, namespaces) = Rendered(catalog);

        var report = TenantIsolation.Evaluate(catalog, policies, namespaces);

        Assert.Empty(report.Findings);
        Assert.Contains("| **org-c-prod** | . | . | . | all | . | . | TCP 53, UDP 53 |", report.Matrix());
    }

    [Fact]
    public void An_egress_exception_to_a_single_address_is_probed_at_that_address()
    {
        var catalog = TenantCatalog.Parse(TenantCatalogTests.With("cidr: 10.30.240.0/22", "cidr: 10.30.240.4/32"), TenantCatalog.RelativePath);
        var (policies, namespaces) = Rendered(catalog);

        var report = TenantIsolation.Evaluate(catalog, policies, namespaces);

        Assert.Empty(report.Findings);
        var database = report.Endpoints.Single(e => e.Name == "org-a-prod:sso-database");
        Assert.Equal("10.30.240.4", database.Address!.ToString());
        Assert.Equal("TCP 5432", report.NamespaceFlows.Single(f => f.Source == "org-a-prod" && f.Destination == "org-a-prod:sso-database").Ports.ToString());
    }

    [Fact]
    public void Onboarding_a_third_organization_passes_every_tenancy_check_with_its_own_row_in_the_report()
    {
        using var repo = TempRepo.WithTracked("specs", "kubernetes");
        repo.Write(TenantCatalog.RelativePath, TenantCatalogTests.With("\n  - name: org-b", TenantCatalogTests.OrgC + "\n\n  - name: org-b"));

        var stale = BuildRun.Platform($"--working={repo.Root}", "--target=CreateNamespaces", "--exclusive");
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("kubernetes/namespaces/dev/org-c-dev.yaml is missing: run ./build.sh --target=Tenants", ReportFile.Row(repo.Root, "CreateNamespaces", "Generated from the tenant catalog and current").Detail);

        Assert.Equal(0, BuildRun.Platform($"--working={repo.Root}", "--target=Tenants").ExitCode);
        var checks = BuildRun.Platform($"--working={repo.Root}", "--target=CreateNamespaces", "--target=CreateNetworkPolicies", "--target=ConfigureArgoCdProjects", "--exclusive");

        Assert.True(checks.ExitCode == 0, checks.Output);
        var rows = ReportFile.Rows(repo.Root);
        Assert.DoesNotContain(rows, r => r.Status == "Failed");
        Assert.Contains("dev: 3 namespaces", ReportFile.Row(repo.Root, "CreateNamespaces", "Namespaces enforce Pod Security restricted, quota and limits").Detail);
        Assert.Contains("prod: 3 namespaces", ReportFile.Row(repo.Root, "CreateNamespaces", "Namespaces enforce Pod Security restricted, quota and limits").Detail);
        var markdown = repo.Read("artifacts/reports/summary.md");
        Assert.Contains("## Network isolation (computed from the rendered NetworkPolicies), prod cluster", markdown);
        // The prod cluster's matrix: its three namespaces (org-a, org-c, org-b) and the platform's endpoints; no dev namespace.
        Assert.Contains("| **org-c-prod** | . | all | . | TCP 53, UDP 53 |", markdown);
        Assert.DoesNotContain("| **org-c-dev** | . | . | . | all |", markdown);
    }

    [Fact]
    public void Both_selectors_in_one_peer_mean_those_pods_in_those_namespaces()
    {
        var policy = Policy("a", """
              podSelector: {}
              policyTypes: [Ingress]
              ingress:
                - from:
                    - namespaceSelector:
                        matchLabels: {team: x}
                      podSelector:
                        matchLabels: {role: client}
            """);
        var evaluator = new PolicyEvaluator([policy]);
        var target = Pod("a", "server");

        Assert.True(evaluator.Allowed(Pod("b", "client", new() { ["role"] = "client" }, new() { ["team"] = "x" }), target).IsAll);
        Assert.True(evaluator.Allowed(Pod("b", "other", new() { ["role"] = "other" }, new() { ["team"] = "x" }), target).IsEmpty);
        Assert.True(evaluator.Allowed(Pod("c", "client", new() { ["role"] = "client" }, new() { ["team"] = "y" }), target).IsEmpty);
    }

    [Fact]
    public void Separate_peers_are_alternatives_and_a_podSelector_alone_means_the_policys_namespace()
    {
        var policy = Policy("a", """
              podSelector: {}
              ingress:
                - from:
                    - namespaceSelector:
                        matchLabels: {team: x}
                    - podSelector:
                        matchLabels: {role: client}
            """);
        var evaluator = new PolicyEvaluator([policy]);
        var target = Pod("a", "server");

        Assert.True(evaluator.Allowed(Pod("b", "anything", null, new() { ["team"] = "x" }), target).IsAll);
        Assert.True(evaluator.Allowed(Pod("a", "client", new() { ["role"] = "client" }), target).IsAll);
        Assert.True(evaluator.Allowed(Pod("c", "client", new() { ["role"] = "client" }), target).IsEmpty);
    }

    [Fact]
    public void Match_expressions_select_as_Kubernetes_does()
    {
        var selector = new V1LabelSelector
        {
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["web", "api"] },
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "NotIn", Values = ["prod"] },
                new V1LabelSelectorRequirement { Key = "team", OperatorProperty = "Exists" },
                new V1LabelSelectorRequirement { Key = "legacy", OperatorProperty = "DoesNotExist" },
            ],
        };

        Assert.True(PolicyEvaluator.Selects(selector, new Dictionary<string, string> { ["tier"] = "api", ["team"] = "a" }));
        Assert.False(PolicyEvaluator.Selects(selector, new Dictionary<string, string> { ["tier"] = "api", ["team"] = "a", ["env"] = "prod" }));
        Assert.False(PolicyEvaluator.Selects(selector, new Dictionary<string, string> { ["tier"] = "db", ["team"] = "a" }));
        Assert.False(PolicyEvaluator.Selects(selector, new Dictionary<string, string> { ["tier"] = "web", ["team"] = "a", ["legacy"] = "yes" }));
        Assert.True(PolicyEvaluator.Selects(new V1LabelSelector(), NoLabels));
    }

    [Fact]
    public void IpBlocks_honour_except_and_apply_to_addresses_outside_the_cluster()
    {
        var policy = Policy("a", """
              podSelector: {}
              policyTypes: [Egress]
              egress:
                - to:
                    - ipBlock:
                        cidr: 0.0.0.0/0
                        except: [169.254.169.254/32, 10.0.0.0/8]
                  ports:
                    - protocol: TCP
                      port: 443
            """);
        var evaluator = new PolicyEvaluator([policy]);
        var source = Pod("a", "app");

        Assert.Equal("TCP 443", evaluator.Allowed(source, Endpoint.External("internet", "203.0.113.10")).ToString());
        Assert.True(evaluator.Allowed(source, Endpoint.External("metadata", "169.254.169.254")).IsEmpty);
        Assert.True(evaluator.Allowed(source, Endpoint.External("vpc", "10.1.2.3")).IsEmpty);
        Assert.True(evaluator.Allowed(source, Pod("b", "other")).IsEmpty);
    }

    [Fact]
    public void Ports_resolve_names_on_the_destination_and_honour_endPort_and_protocol()
    {
        var policy = Policy("a", """
              podSelector: {}
              ingress:
                - ports:
                    - port: http
                    - protocol: UDP
                      port: dns
                    - protocol: TCP
                      port: 9000
                      endPort: 9010
            """);
        var evaluator = new PolicyEvaluator([policy]);

        Assert.Equal("TCP 8080, TCP 9000-9010, UDP 53", evaluator.Allowed(Pod("b", "client"), Pod("a", "server")).ToString());
        var noNames = Endpoint.Pod("a", "bare", NoLabels, new Dictionary<string, string>());
        Assert.Equal("TCP 9000-9010", evaluator.Allowed(Pod("b", "client"), noNames).ToString());
    }

    [Fact]
    public void A_policy_with_an_egress_section_and_no_policyTypes_isolates_egress_too()
    {
        var policy = Policy("a", """
              podSelector: {}
              egress: []
            """);

        Assert.Equal(["Ingress", "Egress"], PolicyEvaluator.Types(policy));
        var evaluator = new PolicyEvaluator([policy]);
        Assert.True(evaluator.Egress(Pod("a", "app"), Endpoint.External("internet", "203.0.113.10")).IsEmpty);
        Assert.True(evaluator.Ingress(Pod("b", "x"), Pod("a", "app")).IsEmpty);
        Assert.True(evaluator.Allowed(Pod("b", "x"), Pod("c", "y")).IsAll);
    }

    [Fact]
    public void Port_sets_combine_exactly()
    {
        var dns = PortSet.Single("UDP", 53).Union(PortSet.Single("TCP", 53));
        var web = PortSet.Range("TCP", 80, 443);

        Assert.Equal("TCP 53, TCP 80-443, UDP 53", dns.Union(web).ToString());
        Assert.Equal("TCP 53", dns.Intersect(PortSet.AllOf("TCP")).ToString());
        Assert.Equal("TCP 80-99, TCP 101-443", web.Except(PortSet.Single("TCP", 100)).ToString());
        Assert.True(dns.IsSubsetOf(PortSet.All));
        Assert.False(PortSet.All.IsSubsetOf(dns));
        Assert.True(PortSet.All.Except(PortSet.AllOf("TCP")).Except(PortSet.AllOf("UDP")).Except(PortSet.AllOf("SCTP")).IsEmpty);
        Assert.Equal(PortSet.Range("TCP", 1, 10).Union(PortSet.Range("TCP", 11, 20)), PortSet.Range("TCP", 1, 20));
    }
}
