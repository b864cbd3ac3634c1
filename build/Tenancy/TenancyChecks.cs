using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Tenancy;

/// <summary>
/// Offline checks of the tenancy manifests (Tasks 3.3, 4.1, 4.2): rendered
/// and parsed strictly, generated from the tenant catalog and current, and
/// proven to keep tenants apart - by simulating Argo CD's project checks and
/// by computing what the network policies let through.
/// </summary>
public static partial class TenancyChecks
{
    /// <summary>The rendered folders (every cluster's entry point is a folder below them: <see cref="TenantLayout"/>).</summary>
    public const string Namespaces = "kubernetes/namespaces";

    public const string Projects = "kubernetes/argocd/projects";

    public const string NetworkPolicies = "kubernetes/network-policies";

    public const string Applications = "kubernetes/argocd/applications";

    public const string IsolationExhibit = "Network isolation (computed from the rendered NetworkPolicies)";

    /// <summary>The exhibit of one cluster's isolation matrix.</summary>
    public static string IsolationExhibitOf(string cluster) => $"{IsolationExhibit}, {cluster} cluster";

    /// <summary>Up to this many columns (namespaces and platform endpoints) the report shows the whole matrix.</summary>
    public const int MatrixColumns = 24;

    /// <summary>The files of <paramref name="folders"/> that the catalog renders are exactly what is on disk.</summary>
    public static Outcome GeneratedCurrent(BuildContext context, params string[] folders) =>
        TenantFiles.WithCatalog(context.Paths, catalog =>
        {
            var findings = folders.SelectMany(f => TenantFiles.Differences(context.Paths, catalog, f)).ToList();
            var counts = folders.Select(f => $"{TenantRenderer.Render(catalog).Keys.Count(k => k.StartsWith(f + "/", StringComparison.Ordinal))} files in {f}");
            return Outcome.FromFindings(findings, $"{string.Join(", ", counts)} match what {TenantCatalog.RelativePath} renders ({catalog.Organizations.Count} organizations)");
        });

    /// <summary>The per-cluster entry points of a rendered folder this run covers (e.g. kubernetes/namespaces/dev).</summary>
    public static string[] PerCluster(BuildContext context, Func<string, string> folder) => [.. context.Clusters.Select(folder)];

    /// <summary>
    /// Every tenant namespace of each cluster: labelled, Pod Security restricted (enforce,
    /// audit, warn), a complete ResourceQuota, a LimitRange, and its deployer account bound
    /// to the deployer role; nothing placed on another cluster.
    /// </summary>
    public static Outcome NamespaceGuardrails(BuildContext context) => ForEachCluster(context, TenantLayout.Namespaces, (scope, render) =>
    {
        var (cluster, view) = (scope.Cluster, scope.View);
        var findings = new List<string>();
        string[] quotaKeys = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods", "services.loadbalancers", "services.nodeports", "persistentvolumeclaims", "requests.storage", .. TenantLayout.CountedKinds];
        foreach (var org in view.Organizations)
        {
            foreach (var env in org.Environments)
            {
                var name = org.NamespaceOf(env);
                var ns = render.Objects<V1Namespace>().FirstOrDefault(n => n.Metadata.Name == name);
                if (ns is null)
                {
                    findings.Add($"{cluster}: {name}: no Namespace rendered");
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

                var deployer = render.Objects<V1ServiceAccount>().FirstOrDefault(a => a.Metadata.NamespaceProperty == name && a.Metadata.Name == TenantLayout.Deployer);
                if (deployer is null || deployer.AutomountServiceAccountToken != false)
                {
                    findings.Add($"{name}: no ServiceAccount {TenantLayout.Deployer} with automountServiceAccountToken: false (Argo CD syncs as it)");
                }

                var bound = render.Objects<V1RoleBinding>().Any(b => b.Metadata.NamespaceProperty == name && b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == TenantLayout.DeployerRole
                    && (b.Subjects ?? []).Any(sub => sub.Kind == "ServiceAccount" && sub.Name == TenantLayout.Deployer && (sub.NamespaceProperty ?? name) == name));
                if (!bound)
                {
                    findings.Add($"{name}: no RoleBinding of ClusterRole {TenantLayout.DeployerRole} to {TenantLayout.Deployer}");
                }
            }
        }

        var extra = render.Objects<V1Namespace>().Select(n => n.Metadata.Name).Except(view.TenantNamespaces).ToList();
        findings.AddRange(extra.Select(e => scope.All.ClusterOf(e) is { } other
            ? $"{cluster}: {e} is placed on the {other} cluster, not this one: {TenantFiles.Fix}"
            : $"{cluster}: {e}: a namespace no organization declares"));
        return (findings, $"{cluster}: {view.TenantNamespaces.Count()} namespaces, Pod Security restricted, quota on {quotaKeys.Length} resources, container defaults and max, a deployer bound to {TenantLayout.DeployerRole}");
    });

    /// <summary>The rendered policies keep tenants apart on each cluster (computed; one matrix per cluster goes into the report).</summary>
    public static Outcome Isolation(BuildContext context) => ForEachCluster(context, TenantLayout.NetworkPolicies, (scope, policies) =>
    {
        var (cluster, view) = (scope.Cluster, scope.View);
        var namespaces = context.Renders.Render(TenantLayout.Namespaces(cluster));
        if (!namespaces.Succeeded)
        {
            return ([$"{cluster}: the namespaces are needed for their labels: {namespaces.Error}"], string.Empty);
        }

        var report = TenantIsolation.Evaluate(view, policies.Objects<V1NetworkPolicy>(), namespaces.Objects<V1Namespace>());
        var csv = context.Paths.Combine($"artifacts/reports/isolation-matrix-{cluster}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        Tools.SafeFile.Replace(csv, report.Csv());
        // The namespace matrix grows with the square of the catalog: past a screenful
        // the report shows one row per organization and the CSV holds every cell.
        var groups = report.Endpoints.Select(IsolationReport.Group).Distinct().Count();
        var matrix = groups <= MatrixColumns
            ? $"Rows: where traffic starts; columns: where it goes; cells: the ports that pass (\".\": nothing).\n\n{report.Matrix()}\n"
            : $"The namespace matrix ({groups} columns) is in {context.Paths.Relative(csv)}.\n\n";
        context.Ledger.AddExhibit(new Exhibit(IsolationExhibitOf(cluster),
            $"The tenant namespaces placed on the {cluster} cluster. {report.Endpoints.Count} endpoints, {report.PairsChecked} flows involving a tenant checked. {matrix}Per organization (\".\": nothing passes):\n\n{report.OrganizationRows(view)}"));
        return (report.Findings.Select(f => $"{cluster}: {f}").ToList(),
            $"{cluster}: {report.PairsChecked} flows checked across {view.TenantNamespaces.Count()} tenant namespaces: none between organizations or environments, DNS on 53 UDP/TCP to kube-dns only, ingress on \"http\" and scraping on \"metrics\" only, egress beyond DNS only where the catalog lists an exception, nothing to the internet or instance metadata (matrix in the report)");
    });

    /// <summary>Every tenant namespace of each cluster has a policy denying both directions by default.</summary>
    public static Outcome DefaultDeny(BuildContext context) => ForEachCluster(context, TenantLayout.NetworkPolicies, (scope, policies) =>
    {
        var list = policies.Objects<V1NetworkPolicy>().ToList();
        var findings = scope.View.TenantNamespaces.SelectMany(ns => TenantIsolation.DefaultDeny(ns, list)).Select(f => $"{scope.Cluster}: {f}").ToList();
        findings.AddRange(list.Select(p => p.Metadata.NamespaceProperty).Distinct().Where(ns => ns is not null && !scope.View.TenantNamespaces.Contains(ns))
            .Select(ns => $"{scope.Cluster}: policies for {ns}, which is not placed on this cluster: {TenantFiles.Fix}"));
        return (findings, $"{scope.Cluster}: {scope.View.TenantNamespaces.Count()} namespaces deny ingress and egress by default (podSelector {{}}, both policyTypes, no rules)");
    });

    /// <summary>The README of the network policies names every policy the folder renders and says why.</summary>
    public static Outcome PoliciesDocumented(BuildContext context) => ForEachCluster(context, TenantLayout.NetworkPolicies, (scope, policies) =>
    {
        var readme = context.Paths.Combine($"{NetworkPolicies}/README.md");
        if (!File.Exists(readme))
        {
            return ([$"{Outcome.NotImplementedPrefix}: {NetworkPolicies}/README.md does not exist"], string.Empty);
        }

        var text = File.ReadAllText(readme);
        var names = policies.Objects<V1NetworkPolicy>().Select(p => p.Metadata.Name).Distinct().ToList();
        var missing = names.Where(n => !text.Contains($"`{n}`", StringComparison.Ordinal)).ToList();
        return (missing.Select(m => $"{NetworkPolicies}/README.md does not document policy `{m}`").ToList(),
            $"{scope.Cluster}: {NetworkPolicies}/README.md documents all {names.Count} policies: {string.Join(", ", names)}");
    });

    /// <summary>One cluster as a check sees it: its name, the catalog as placed there, and the whole catalog.</summary>
    public sealed record ClusterScope(string Cluster, TenantCatalog View, TenantCatalog All);

    /// <summary>
    /// Runs a check on each cluster this run covers, with that cluster's render of a
    /// folder and its view of the catalog; one outcome joins them (every cluster's
    /// findings, each naming its cluster).
    /// </summary>
    public static Outcome ForEachCluster(BuildContext context, Func<string, string> folderOf, Func<ClusterScope, RenderResult, (List<string> Findings, string Passed)> check) =>
        TenantFiles.WithCatalog(context.Paths, catalog =>
        {
            var findings = new List<string>();
            var passed = new List<string>();
            foreach (var cluster in context.Clusters)
            {
                var render = context.Renders.Render(folderOf(cluster));
                if (!render.Succeeded)
                {
                    return render.Failure;
                }

                var (some, summary) = check(new ClusterScope(cluster, catalog.ForCluster(cluster), catalog), render);
                if (some.FirstOrDefault(f => f.StartsWith(Outcome.NotImplementedPrefix, StringComparison.Ordinal)) is { } missing)
                {
                    return Outcome.NotImplemented(missing[(Outcome.NotImplementedPrefix.Length + 2)..]);
                }

                findings.AddRange(some);
                passed.Add(summary);
            }

            return Outcome.FromFindings(findings, string.Join("; ", passed));
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
}
