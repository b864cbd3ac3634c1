using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Tenancy.Projects;

/// <summary>
/// Simulates what Argo CD would refuse, without Argo CD: an Application's
/// source and destination against its project, then every object its source
/// renders (kind and namespace). Messages are Argo CD's own.
/// </summary>
public static class ProjectEnforcement
{
    /// <summary>Why Argo CD would refuse this Application (or one of its objects); empty when it would not.</summary>
    public static IReadOnlyList<string> Check(Application app, IReadOnlyDictionary<string, ProjectRules> projects, IReadOnlyList<Manifest>? rendered)
    {
        var findings = new List<string>();
        var projectName = string.IsNullOrEmpty(app.Spec.Project) ? "default" : app.Spec.Project;
        if (!projects.TryGetValue(projectName, out var project))
        {
            return [$"application references project {projectName} which does not exist"];
        }

        var sources = app.Spec.Sources ?? (app.Spec.Source is { } one ? [one] : []);
        if (sources.Count == 0)
        {
            findings.Add("application has no source");
        }

        findings.AddRange(sources.Where(s => !project.SourcePermitted(s.RepoUrl))
            .Select(s => $"application repo {s.RepoUrl} is not permitted in project '{projectName}'"));

        var destination = app.Spec.Destination;
        var server = destination.Server ?? (destination.Name == "in-cluster" ? ProjectRules.InCluster : null);
        if (!project.DestinationPermitted(server, destination.Name, destination.Namespace))
        {
            findings.Add($"application destination server '{server ?? destination.Name}' and namespace '{destination.Namespace}' do not match any of the allowed destinations in project '{projectName}'");
        }

        foreach (var manifest in rendered ?? [])
        {
            if (!project.KindPermitted(manifest.Group, manifest.Kind, manifest.IsClusterScoped))
            {
                findings.Add($"resource {manifest.Group}:{manifest.Kind} is not permitted in project {projectName} ({manifest})");
                continue;
            }

            var ns = manifest.Namespace ?? destination.Namespace;
            if (!manifest.IsClusterScoped && !project.DestinationPermitted(server, destination.Name, ns))
            {
                findings.Add($"namespace {ns} is not permitted in project '{projectName}' ({manifest})");
            }
        }

        return findings;
    }

    /// <summary>
    /// Probes each organization's project with what a tenant could try: its own
    /// namespaces must be open to an ordinary workload; every other namespace,
    /// every cluster-scoped kind, every guardrail kind and any other repository
    /// must be refused. The default project must refuse everything.
    /// </summary>
    public static (IReadOnlyList<string> Findings, int Probes) CheckBoundaries(TenantCatalog catalog, IReadOnlyDictionary<string, ProjectRules> projects)
    {
        var findings = new List<string>();
        var probes = 0;
        var server = catalog.Platform.Server;
        var outsiders = catalog.TenantNamespaces
            .Concat(TenantCatalog.ReservedNamespaces)
            .Concat([catalog.Platform.IngressController.Namespace, catalog.Platform.Monitoring.Namespace])
            .Distinct().ToList();
        (string Group, string Kind, bool Cluster)[] forbidden =
        [
            (string.Empty, "ResourceQuota", false), (string.Empty, "LimitRange", false), ("networking.k8s.io", "NetworkPolicy", false),
            ("cilium.io", "CiliumNetworkPolicy", false), (string.Empty, "Namespace", true), ("rbac.authorization.k8s.io", "ClusterRole", true),
            ("rbac.authorization.k8s.io", "ClusterRoleBinding", true), ("apiextensions.k8s.io", "CustomResourceDefinition", true),
            ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", true),
            ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", true), ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", true),
            // RBAC and credentials: a RoleBinding to cluster-admin, or a token Secret, is an escalation.
            ("rbac.authorization.k8s.io", "Role", false), ("rbac.authorization.k8s.io", "RoleBinding", false), (string.Empty, "Secret", false),
            ("external-secrets.io", "SecretStore", false), (string.Empty, "Pod", false), ("apps", "DaemonSet", false),
        ];
        (string Group, string Kind)[] ordinary = [("apps", "Deployment"), (string.Empty, "Service"), (string.Empty, "ConfigMap"), ("networking.k8s.io", "Ingress"), (string.Empty, "ServiceAccount")];

        void Expect(bool actual, bool expected, string what)
        {
            probes++;
            if (actual != expected)
            {
                findings.Add(what);
            }
        }

        foreach (var org in catalog.Organizations)
        {
            if (!projects.TryGetValue(org.Name, out var project))
            {
                findings.Add($"{org.Name}: no AppProject named {org.Name}");
                continue;
            }

            foreach (var ns in outsiders)
            {
                var own = org.Namespaces.Contains(ns);
                Expect(project.DestinationPermitted(server, null, ns), own,
                    own ? $"{org.Name}: cannot deploy into its own namespace {ns}" : $"{org.Name}: can deploy into {ns}, which is not its own");
            }

            Expect(project.DestinationPermitted("https://203.0.113.10:6443", null, org.Namespaces.First()), false, $"{org.Name}: can deploy to another cluster");
            foreach (var (group, kind, cluster) in forbidden.Where(f => org.Grants.All(g => g.Kind != f.Kind)))
            {
                Expect(project.KindPermitted(group, kind, cluster), false, $"{org.Name}: may create {group}:{kind}");
            }

            foreach (var (group, kind) in ordinary)
            {
                Expect(project.KindPermitted(group, kind, false), true, $"{org.Name}: may not create an ordinary {group}:{kind}");
            }

            foreach (var repo in org.SourceRepos)
            {
                var example = repo.Replace("**", "x", StringComparison.Ordinal).Replace("*", "x", StringComparison.Ordinal);
                Expect(project.SourcePermitted(example), true, $"{org.Name}: its own repository {example} is refused");
            }

            Expect(project.SourcePermitted("https://github.com/someone-else/anything.git"), false, $"{org.Name}: reads repositories it does not list");
            foreach (var other in catalog.Organizations.Where(o => o != org))
            {
                foreach (var repo in other.SourceRepos.Where(r => !org.SourceRepos.Contains(r)))
                {
                    var example = repo.Replace("**", "x", StringComparison.Ordinal).Replace("*", "x", StringComparison.Ordinal);
                    if (!org.SourceRepos.Any(mine => ProjectRules.NormalizeGitUrl(mine) == ProjectRules.NormalizeGitUrl(example)))
                    {
                        Expect(project.SourcePermitted(example), false, $"{org.Name}: may read {other.Name}'s repository {example}");
                    }
                }
            }
        }

        if (!projects.TryGetValue("default", out var fallback))
        {
            findings.Add("no `default` AppProject: Argo CD creates an open one; ship it locked down");
        }
        else
        {
            Expect(fallback.SourcePermitted(catalog.Platform.RepoUrl), false, "the default project reads the platform repository");
            Expect(outsiders.Any(ns => fallback.DestinationPermitted(server, null, ns)), false, "the default project deploys somewhere");
            Expect(fallback.KindPermitted("apps", "Deployment", false), false, "the default project may create Deployments");
            Expect(fallback.KindPermitted(string.Empty, "Namespace", true), false, "the default project may create Namespaces");
        }

        return (findings, probes);
    }
}
