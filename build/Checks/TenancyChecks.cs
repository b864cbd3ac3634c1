using k8s.Models;
using Platform.Build.Context;
using Platform.Build.Kubernetes.ArgoCd;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Network;
using Platform.Build.Tenants;

namespace Platform.Build.Checks;

/// <summary>
/// Offline checks of the tenancy manifests (Tasks 3.3, 4.1, 4.2): rendered
/// and parsed strictly, generated from the tenant catalog and current, and
/// proven to keep tenants apart - by simulating Argo CD's project checks and
/// by computing what the network policies let through.
/// </summary>
public static class TenancyChecks
{
    public const string Namespaces = "kubernetes/namespaces";
    public const string Projects = "kubernetes/argocd/projects";
    public const string NetworkPolicies = "kubernetes/network-policies";
    public const string Applications = "kubernetes/argocd/applications";
    public const string IsolationExhibit = "Network isolation (computed from the rendered NetworkPolicies)";

    /// <summary>Up to this many columns (namespaces and platform endpoints) the report shows the whole matrix.</summary>
    public const int MatrixColumns = 24;

    /// <summary>The files of <paramref name="folder"/> that the catalog renders are exactly what is on disk.</summary>
    public static Outcome GeneratedCurrent(BuildContext context, string folder) =>
        TenantFiles.WithCatalog(context.Paths, catalog =>
        {
            var findings = TenantFiles.Differences(context.Paths, catalog, folder);
            var count = TenantRenderer.Render(catalog).Keys.Count(k => k.StartsWith(folder + "/", StringComparison.Ordinal));
            return Outcome.FromFindings(findings, $"{count} files in {folder} match what {TenantCatalog.RelativePath} renders ({catalog.Organizations.Count} organizations)");
        });

    /// <summary>Every tenant namespace: labelled, Pod Security restricted (enforce, audit, warn), a complete ResourceQuota and a LimitRange.</summary>
    public static Outcome NamespaceGuardrails(BuildContext context) => WithRender(context, Namespaces, (catalog, render) =>
    {
        var findings = new List<string>();
        string[] quotaKeys = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods", "services.loadbalancers", "services.nodeports", "persistentvolumeclaims", "requests.storage"];
        foreach (var org in catalog.Organizations)
        {
            foreach (var env in org.Environments)
            {
                var name = org.NamespaceOf(env);
                var ns = render.Objects<V1Namespace>().FirstOrDefault(n => n.Metadata.Name == name);
                if (ns is null)
                {
                    findings.Add($"{name}: no Namespace rendered");
                    continue;
                }

                IDictionary<string, string> labels = ns.Metadata.Labels ?? new Dictionary<string, string>();
                string? Label(string key) => labels.TryGetValue(key, out var v) ? v : null;
                foreach (var (key, value) in new Dictionary<string, string>
                {
                    ["organization"] = org.Name,
                    ["environment"] = env.Label,
                    ["pod-security.kubernetes.io/enforce"] = "restricted",
                    ["pod-security.kubernetes.io/audit"] = "restricted",
                    ["pod-security.kubernetes.io/warn"] = "restricted",
                })
                {
                    if (Label(key) != value)
                    {
                        findings.Add($"{name}: label {key} is '{Label(key)}', must be '{value}'");
                    }
                }

                var quotas = render.Objects<V1ResourceQuota>().Where(q => q.Metadata.NamespaceProperty == name).ToList();
                var hard = quotas.SelectMany(q => q.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>()).Select(h => h.Key).ToHashSet();
                var missing = quotaKeys.Where(k => !hard.Contains(k)).ToList();
                if (quotas.Count == 0 || missing.Count > 0)
                {
                    findings.Add($"{name}: ResourceQuota lacks {(quotas.Count == 0 ? "everything" : string.Join(", ", missing))}");
                }

                var container = render.Objects<V1LimitRange>().Where(l => l.Metadata.NamespaceProperty == name)
                    .SelectMany(l => l.Spec.Limits).FirstOrDefault(l => l.Type == "Container");
                if (container?.DefaultProperty is null || container.DefaultRequest is null || container.Max is null)
                {
                    findings.Add($"{name}: no LimitRange for containers with default, defaultRequest and max (needed once limits.* are quoted)");
                }
            }
        }

        var extra = render.Objects<V1Namespace>().Select(n => n.Metadata.Name).Except(catalog.TenantNamespaces).ToList();
        findings.AddRange(extra.Select(e => $"{e}: a namespace no organization declares"));
        return Outcome.FromFindings(findings,
            $"{catalog.TenantNamespaces.Count()} namespaces: Pod Security restricted (enforce, audit, warn), quota on {quotaKeys.Length} resources, container defaults and max");
    });

    /// <summary>Each organization's AppProject follows the multi-tenancy rules; the default project is locked.</summary>
    public static Outcome ProjectPermissions(BuildContext context) => WithRender(context, Projects, (catalog, render) =>
    {
        var findings = new List<string>();
        var projects = render.Objects<AppProject>().ToDictionary(p => p.Metadata.Name);
        string[] guardrails = ["ResourceQuota", "LimitRange", "NetworkPolicy", "CiliumNetworkPolicy", "SecretStore"];
        foreach (var org in catalog.Organizations)
        {
            if (!projects.TryGetValue(org.Name, out var project))
            {
                findings.Add($"{org.Name}: no AppProject");
                continue;
            }

            var spec = project.Spec;
            var p = $"AppProject {org.Name}";
            if (spec.SourceRepos is not { Count: > 0 } || spec.SourceRepos.Any(r => r.Trim() is "*" or "**"))
            {
                findings.Add($"{p}: sourceRepos must list repositories, never '*'");
            }

            var foreign = (spec.Destinations ?? []).Where(d => d.Namespace is null || !org.Namespaces.Contains(d.Namespace)).ToList();
            if (spec.Destinations is not { Count: > 0 } || foreign.Count > 0)
            {
                findings.Add($"{p}: destinations must be exactly its namespaces ({string.Join(", ", org.Namespaces)}), found {string.Join(", ", foreign.Select(d => d.Namespace ?? "(none)"))}");
            }

            if (spec.ClusterResourceWhitelist is { Count: > 0 })
            {
                findings.Add($"{p}: clusterResourceWhitelist must be empty (tenants create no cluster-scoped objects)");
            }

            var blacklisted = (spec.NamespaceResourceBlacklist ?? []).Select(k => k.Kind).ToHashSet();
            var open = guardrails.Where(g => !blacklisted.Contains(g)).ToList();
            if (open.Count > 0)
            {
                findings.Add($"{p}: namespaceResourceBlacklist lacks {string.Join(", ", open)} (tenants must not remove the platform's guardrails)");
            }

            foreach (var role in spec.Roles ?? [])
            {
                if (role.Groups is not { Count: > 0 })
                {
                    findings.Add($"{p}: role {role.Name} is bound to no group");
                }

                var stray = (role.Policies ?? []).Where(pol => !pol.Replace(" ", string.Empty, StringComparison.Ordinal).Contains($",{org.Name}/", StringComparison.Ordinal)).ToList();
                findings.AddRange(stray.Select(s => $"{p}: role {role.Name} policy '{s}' reaches beyond {org.Name}/*"));
            }

            if (spec.Roles is not { Count: > 0 })
            {
                findings.Add($"{p}: no roles: bind the organization's groups to project roles");
            }

            var prod = org.Environments.Where(e => e.Name == "prod").Select(org.NamespaceOf).ToList();
            if (prod.Count > 0 && !(spec.SyncWindows ?? []).Any(w => (w.Namespaces ?? []).Any(n => prod.Contains(n))))
            {
                findings.Add($"{p}: no sync window for {prod[0]}");
            }
        }

        if (!projects.TryGetValue("default", out var fallback))
        {
            findings.Add("no `default` AppProject: Argo CD creates an open one; ship it locked down");
        }
        else if (fallback.Spec.SourceRepos is { Count: > 0 } || fallback.Spec.Destinations is { Count: > 0 }
            || !(fallback.Spec.NamespaceResourceBlacklist ?? []).Any(k => k.Group == "*" && k.Kind == "*"))
        {
            findings.Add("the `default` AppProject is not locked down: empty sourceRepos and destinations, blacklist group '*' kind '*'");
        }

        return Outcome.FromFindings(findings,
            $"{catalog.Organizations.Count} projects: listed repositories, own namespaces only, no cluster-scoped kinds, guardrails blacklisted, roles bound to groups, prod sync windows; default locked");
    });

    /// <summary>
    /// "Cannot deploy outside allowed namespaces": every Application in the
    /// repository against its project as Argo CD would judge it (with the objects
    /// its source renders, when that source is this repository), plus probes of
    /// each project with what a tenant could try.
    /// </summary>
    public static Outcome DeployBoundaries(BuildContext context) => WithRender(context, Projects, (catalog, render) =>
    {
        var projects = render.Objects<AppProject>().ToDictionary(p => p.Metadata.Name, p => new ProjectRules(p));
        var (findings, probes) = ProjectEnforcement.CheckBoundaries(catalog, projects);
        var all = findings.ToList();
        var applications = FindApplications(context, all);
        foreach (var (app, where) in applications)
        {
            var rendered = RenderSource(context, catalog, app, all);
            all.AddRange(ProjectEnforcement.Check(app, projects, rendered).Select(f => $"Application {app.Metadata.Name} ({where}): {f}"));
        }

        return Outcome.FromFindings(all,
            $"{probes} probes of {projects.Count} projects (other tenants' and the platform's namespaces, other clusters, cluster-scoped and guardrail kinds, unlisted repositories) decided as expected; {applications.Count} Applications in the repository within their projects");
    });

    /// <summary>The rendered policies keep tenants apart (computed; the matrix goes into the report).</summary>
    public static Outcome Isolation(BuildContext context) => WithRender(context, NetworkPolicies, (catalog, policies) =>
    {
        var namespaces = context.Renders.Render(Namespaces);
        if (!namespaces.Succeeded)
        {
            return Outcome.Fail($"the namespaces are needed for their labels: {namespaces.Error}");
        }

        var report = TenantIsolation.Evaluate(catalog, policies.Objects<V1NetworkPolicy>(), namespaces.Objects<V1Namespace>());
        var csv = context.Paths.Combine("artifacts/reports/isolation-matrix.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        File.WriteAllText(csv, report.Csv());
        // The namespace matrix grows with the square of the catalog: past a screenful
        // the report shows one row per organization and the CSV holds every cell.
        var groups = report.Endpoints.Select(IsolationReport.Group).Distinct().Count();
        var matrix = groups <= MatrixColumns
            ? $"Rows: where traffic starts; columns: where it goes; cells: the ports that pass (\".\": nothing).\n\n{report.Matrix()}\n"
            : $"The namespace matrix ({groups} columns) is in {context.Paths.Relative(csv)}.\n\n";
        context.Ledger.AddExhibit(new Exhibit(IsolationExhibit,
            $"{report.Endpoints.Count} endpoints, {report.PairsChecked} flows involving a tenant checked. {matrix}Per organization (\".\": nothing passes):\n\n{report.OrganizationRows(catalog)}"));
        return Outcome.FromFindings(report.Findings,
            $"{report.PairsChecked} flows checked across {catalog.TenantNamespaces.Count()} tenant namespaces: none between organizations or environments, DNS on 53 UDP/TCP to kube-dns only, ingress on \"http\" and scraping on \"metrics\" only, egress beyond DNS only where the catalog lists an exception, nothing to the internet or instance metadata (matrix in the report)");
    });

    /// <summary>Every tenant namespace has a policy denying both directions by default.</summary>
    public static Outcome DefaultDeny(BuildContext context) => WithRender(context, NetworkPolicies, (catalog, policies) =>
    {
        var list = policies.Objects<V1NetworkPolicy>().ToList();
        var findings = catalog.TenantNamespaces.SelectMany(ns => TenantIsolation.DefaultDeny(ns, list)).ToList();
        return Outcome.FromFindings(findings, $"{catalog.TenantNamespaces.Count()} namespaces deny ingress and egress by default (podSelector {{}}, both policyTypes, no rules)");
    });

    /// <summary>The README of the network policies names every policy the folder renders and says why.</summary>
    public static Outcome PoliciesDocumented(BuildContext context) => WithRender(context, NetworkPolicies, (_, policies) =>
    {
        var readme = context.Paths.Combine($"{NetworkPolicies}/README.md");
        if (!File.Exists(readme))
        {
            return Outcome.NotImplemented($"{NetworkPolicies}/README.md does not exist");
        }

        var text = File.ReadAllText(readme);
        var names = policies.Objects<V1NetworkPolicy>().Select(p => p.Metadata.Name).Distinct().ToList();
        var missing = names.Where(n => !text.Contains($"`{n}`", StringComparison.Ordinal)).ToList();
        return Outcome.FromFindings(missing.Select(m => $"{NetworkPolicies}/README.md does not document policy `{m}`").ToList(),
            $"{NetworkPolicies}/README.md documents all {names.Count} policies: {string.Join(", ", names)}");
    });

    private static Outcome WithRender(BuildContext context, string folder, Func<TenantCatalog, RenderResult, Outcome> use) =>
        TenantFiles.WithCatalog(context.Paths, catalog =>
        {
            var render = context.Renders.Render(folder);
            return render.Succeeded ? use(catalog, render) : render.Failure;
        });

    /// <summary>Every Application object in the Kubernetes tree (source files), parsed strictly.</summary>
    private static List<(Application App, string Where)> FindApplications(BuildContext context, List<string> findings)
    {
        var found = new List<(Application, string)>();
        var root = context.Paths.Combine("kubernetes");
        if (!Directory.Exists(root))
        {
            return found;
        }

        foreach (var file in Directory.EnumerateFiles(root, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            if (!text.Contains("kind: Application", StringComparison.Ordinal) || !ManifestParser.LooksLikeManifest(text))
            {
                continue;
            }

            try
            {
                found.AddRange(ManifestParser.Parse(text, context.Paths.Relative(file)).Where(m => m.Object is Application)
                    .Select(m => ((Application)m.Object, m.Where)));
            }
            catch (ManifestException e)
            {
                findings.Add(e.Message);
            }
        }

        return found;
    }

    /// <summary>The objects an Application's source renders, when the source is this repository and the path is here; else null.</summary>
    private static IReadOnlyList<Manifest>? RenderSource(BuildContext context, TenantCatalog catalog, Application app, List<string> findings)
    {
        var source = app.Spec.Source ?? app.Spec.Sources?.FirstOrDefault();
        if (source?.Path is not { Length: > 0 } path
            || ProjectRules.NormalizeGitUrl(source.RepoUrl) != ProjectRules.NormalizeGitUrl(catalog.Platform.RepoUrl)
            || !Directory.Exists(context.Paths.Combine(path)))
        {
            return null;
        }

        var render = context.Renders.Render(path.TrimEnd('/'));
        if (!render.Succeeded)
        {
            findings.Add($"Application {app.Metadata.Name}: its source {path} does not render: {render.Error}");
            return null;
        }

        return render.Manifests;
    }
}
