using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy.Projects;

namespace Platform.Build.Tenancy;

/// <summary>Task 3.3's offline checks: each tenant's AppProject is the least it needs, and no Application can deploy outside its organization's namespaces.</summary>
public static partial class TenancyChecks
{
    /// <summary>
    /// Each organization's AppProject on each cluster follows the multi-tenancy rules: listed
    /// repositories, exactly its namespaces placed there, no cluster-scoped kinds, a
    /// whitelist of tenant kinds (never RBAC, Secrets or guardrails unless granted), its
    /// deployer for every destination; the default project locked.
    /// </summary>
    public static Outcome ProjectPermissions(BuildContext context) => ForEachCluster(context, TenantLayout.Projects, (scope, render) =>
    {
        var (cluster, view) = (scope.Cluster, scope.View);
        var findings = new List<string>();
        var projects = render.Objects<AppProject>().ToDictionary(p => p.Metadata.Name);
        foreach (var org in view.Organizations)
        {
            if (!projects.TryGetValue(org.Name, out var project))
            {
                findings.Add($"{cluster}: {org.Name}: no AppProject");
                continue;
            }

            findings.AddRange(ProjectFindings(project, org, view.Platform.Server).Select(f => $"{cluster}: AppProject {org.Name}: {f}"));
        }

        // The platform's own projects sync as their own accounts too: with impersonation on, Argo CD
        // refuses to sync a destination without one, and the controller must never be it.
        foreach (var platform in projects.Values.Where(p => p.Metadata.Labels?.ContainsKey("organization") != true && p.Spec.Destinations is { Count: > 0 }))
        {
            var rules = new ProjectRules(platform);
            foreach (var destination in platform.Spec.Destinations!)
            {
                var account = rules.ServiceAccountFor(destination.Server ?? view.Platform.Server, destination.Namespace ?? string.Empty);
                if (account is null || account.EndsWith("argocd-application-controller", StringComparison.Ordinal))
                {
                    findings.Add($"{cluster}: AppProject {platform.Metadata.Name}: destination {destination.Namespace} has {(account is null ? "no destinationServiceAccount: with sync impersonation on, Argo CD cannot sync it" : "the application controller as its account")}; name an account of its own");
                }
            }
        }

        var strays = projects.Values.Where(p => p.Metadata.Labels?.ContainsKey("organization") == true && view.Organizations.All(o => o.Name != p.Metadata.Name));
        findings.AddRange(strays.Select(p => $"{cluster}: AppProject {p.Metadata.Name} is rendered here but none of its namespaces is placed on this cluster: {TenantFiles.Fix}"));

        if (!projects.TryGetValue("default", out var fallback))
        {
            findings.Add($"{cluster}: no `default` AppProject: Argo CD creates an open one; ship it locked down");
        }
        else if (fallback.Spec.SourceRepos is { Count: > 0 } || fallback.Spec.Destinations is { Count: > 0 }
            || !(fallback.Spec.NamespaceResourceBlacklist ?? []).Any(k => k.Group == "*" && k.Kind == "*"))
        {
            findings.Add($"{cluster}: the `default` AppProject is not locked down: empty sourceRepos and destinations, blacklist group '*' kind '*'");
        }

        return (findings, $"{cluster}: {view.Organizations.Count} projects: listed repositories, own namespaces on this cluster only, no cluster-scoped kinds, a whitelist of tenant kinds, syncs as each namespace's deployer, roles bound to groups, prod sync windows; default locked");
    });

    /// <summary>Where one organization's project breaks the rules (see <see cref="ProjectPermissions"/>).</summary>
    public static IEnumerable<string> ProjectFindings(AppProject project, Organization org, string server)
    {
        var spec = project.Spec;
        if (spec.SourceRepos is not { Count: > 0 } || spec.SourceRepos.Any(r => r.Trim() is "*" or "**"))
        {
            yield return "sourceRepos must list repositories, never '*'";
        }

        var foreign = (spec.Destinations ?? []).Where(d => d.Namespace is null || !org.Namespaces.Contains(d.Namespace)).ToList();
        if (spec.Destinations is not { Count: > 0 } || foreign.Count > 0)
        {
            yield return $"destinations must be exactly its namespaces on this cluster ({string.Join(", ", org.Namespaces)}), found {string.Join(", ", foreign.Select(d => d.Namespace ?? "(none)"))}";
        }

        if (spec.ClusterResourceWhitelist is { Count: > 0 })
        {
            yield return "clusterResourceWhitelist must be empty (tenants create no cluster-scoped objects)";
        }

        // A whitelist, not a blacklist: a blacklist of guardrails lets Role and RoleBinding through.
        var allowed = TenantLayout.KindsOf(org).Select(k => (k.Group, k.Kind)).ToHashSet();
        if (spec.NamespaceResourceWhitelist is not { Count: > 0 })
        {
            yield return "has no namespaceResourceWhitelist: list the kinds tenants may create (a blacklist lets Role, RoleBinding and Secret through)";
        }
        else
        {
            foreach (var entry in spec.NamespaceResourceWhitelist.Where(k => !allowed.Contains((k.Group, k.Kind))))
            {
                yield return $"namespaceResourceWhitelist lists {(entry.Group.Length > 0 ? entry.Group : "core")}:{entry.Kind}, which tenants may not create (grant it in the catalog with a reason, if it must be)";
            }
        }

        // Sync impersonation: every destination syncs as that namespace's deployer.
        var rules = new ProjectRules(project);
        foreach (var ns in org.Namespaces)
        {
            var account = rules.ServiceAccountFor(server, ns);
            if (account != TenantLayout.Deployer && account != $"{ns}:{TenantLayout.Deployer}")
            {
                yield return $"destinationServiceAccounts must map {ns} to {TenantLayout.Deployer}, found {account ?? "nothing (syncs would run as Argo CD's controller)"}";
            }
        }

        foreach (var role in spec.Roles ?? [])
        {
            if (role.Groups is not { Count: > 0 })
            {
                yield return $"role {role.Name} is bound to no group";
            }

            foreach (var stray in (role.Policies ?? []).Where(pol => !pol.Replace(" ", string.Empty, StringComparison.Ordinal).Contains($",{org.Name}/", StringComparison.Ordinal)))
            {
                yield return $"role {role.Name} policy '{stray}' reaches beyond {org.Name}/*";
            }

            // Argo CD runs these with its own rights (argocd-server's), not the deployer's.
            foreach (var policy in role.Policies ?? [])
            {
                var parts = policy.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length >= 4 && parts[2] is "applications" or "applicationsets" or "exec" or "clusters" or "repositories" or "projects"
                    && (parts[3].Contains('*', StringComparison.Ordinal) || parts[3] is "override" || parts[3].StartsWith("action", StringComparison.Ordinal) || parts[2] is "exec" or "clusters" or "repositories" or "projects"))
                {
                    yield return $"role {role.Name} policy '{policy}' grants '{parts[2]}, {parts[3]}': Argo CD would act with its own rights (override, update/*, delete/*, action/*, exec) - list get, create, update, delete, sync";
                }
            }
        }

        if (spec.Roles is not { Count: > 0 })
        {
            yield return "no roles: bind the organization's groups to project roles";
        }

        var prod = org.Environments.Where(e => e.Name == "prod").Select(org.NamespaceOf).ToList();
        if (prod.Count > 0 && !(spec.SyncWindows ?? []).Any(w => (w.Namespaces ?? []).Any(n => prod.Contains(n))))
        {
            yield return $"no sync window for {prod[0]}";
        }
    }

    /// <summary>
    /// "Cannot deploy outside allowed namespaces": on each cluster, every Application in
    /// the repository that deploys there against its project as Argo CD would judge it
    /// (with the objects its source renders, when that source is this repository), plus
    /// probes of each project with what a tenant could try.
    /// </summary>
    public static Outcome DeployBoundaries(BuildContext context)
    {
        List<(Application App, string Where)>? applications = null;
        var parseErrors = new List<string>();
        return ForEachCluster(context, TenantLayout.Projects, (scope, render) =>
        {
            applications ??= FindApplications(context, parseErrors);
            var projects = render.Objects<AppProject>().ToDictionary(p => p.Metadata.Name, p => new ProjectRules(p));
            var (findings, probes) = ProjectEnforcement.CheckBoundaries(scope.View, projects);
            var all = findings.Select(f => $"{scope.Cluster}: {f}").ToList();
            var here = applications.Where(a => scope.All.ClusterOf(a.App.Spec.Destination.Namespace ?? string.Empty) is not { } placed || placed == scope.Cluster).ToList();
            foreach (var (app, where) in here)
            {
                var rendered = RenderSource(context, scope.All, app, all);
                all.AddRange(ProjectEnforcement.Check(app, projects, rendered).Select(f => $"{scope.Cluster}: Application {app.Metadata.Name} ({where}): {f}"));
            }

            all.AddRange(parseErrors);
            return (all.Distinct().ToList(), $"{scope.Cluster}: {probes} probes of {projects.Count} projects (other tenants' and the platform's namespaces, other clusters, cluster-scoped, RBAC, Secret and guardrail kinds, unlisted repositories) decided as expected; {here.Count} Applications deploying there within their projects");
        });
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
