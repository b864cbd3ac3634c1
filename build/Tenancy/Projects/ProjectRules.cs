using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Tenancy.Projects;

/// <summary>
/// What an AppProject permits, decided the way Argo CD decides it
/// (app_project_types.go): globbed source repositories, destinations and
/// resource kinds, where '!' entries deny and win over allow entries.
/// </summary>
public sealed class ProjectRules(AppProject project)
{
    public const string InCluster = "https://kubernetes.default.svc";

    public string Name => project.Metadata.Name;

    /// <summary>Argo CD: repositories compared normalized, globbed with '/' as separator.</summary>
    public bool SourcePermitted(string repoUrl)
    {
        var url = NormalizeGitUrl(repoUrl);
        var matched = false;
        foreach (var entry in project.Spec.SourceRepos ?? [])
        {
            var deny = entry.StartsWith('!');
            var pattern = NormalizeGitUrl(deny ? entry[1..] : entry);
            var hit = pattern == "*" || ArgoGlob.Match(pattern, url, '/');
            if (deny && hit)
            {
                return false;
            }

            matched |= !deny && hit;
        }

        return matched;
    }

    /// <summary>
    /// Argo CD's isDestinationMatched: an entry matches when (server or name) and
    /// namespace match, a '!' pattern matching what it does not name; a deny
    /// pattern that the destination hits refuses it, whatever else matched.
    /// </summary>
    public bool DestinationPermitted(string? server, string? name, string? ns)
    {
        var namespaceValue = ns ?? string.Empty;
        var anyMatched = false;
        var noDenyMatched = true;
        foreach (var item in project.Spec.Destinations ?? [])
        {
            var nameMatched = !string.IsNullOrEmpty(name) && GlobMatch(item.Name, name);
            var serverMatched = !string.IsNullOrEmpty(server) && GlobMatch(item.Server, server);
            var namespaceMatched = GlobMatch(item.Namespace, namespaceValue);
            if ((serverMatched || nameMatched) && namespaceMatched)
            {
                anyMatched = true;
            }
            else if (((!nameMatched && IsDeny(item.Name)) || (!serverMatched && IsDeny(item.Server))) && namespaceMatched)
            {
                noDenyMatched = false;
            }
            else if (!namespaceMatched && IsDeny(item.Namespace) && serverMatched)
            {
                noDenyMatched = false;
            }
        }

        return anyMatched && noDenyMatched;
    }

    /// <summary>Argo CD: namespaced kinds pass unless blacklisted (and, with a whitelist, only if listed); cluster-scoped kinds need the whitelist.</summary>
    public bool KindPermitted(string group, string kind, bool clusterScoped)
    {
        var spec = project.Spec;
        return clusterScoped
            ? InList(spec.ClusterResourceWhitelist, group, kind) && !InList(spec.ClusterResourceBlacklist, group, kind)
            : (spec.NamespaceResourceWhitelist is null || InList(spec.NamespaceResourceWhitelist, group, kind)) && !InList(spec.NamespaceResourceBlacklist, group, kind);
    }

    /// <summary>
    /// Sync impersonation: the first destinationServiceAccounts entry whose server
    /// and namespace match the destination names the account ("name" in the
    /// destination namespace, or "namespace:name"); null when none matches.
    /// </summary>
    public string? ServiceAccountFor(string server, string ns) =>
        (project.Spec.DestinationServiceAccounts ?? [])
            .FirstOrDefault(d => GlobMatch(d.Server, server) && GlobMatch(d.Namespace ?? string.Empty, ns) && d.DefaultServiceAccount.Length > 0)?.DefaultServiceAccount;

    /// <summary>Lowercase, no trailing slash or ".git", so equivalent spellings of one repository compare equal.</summary>
    public static string NormalizeGitUrl(string url)
    {
        var text = url.Trim().ToLowerInvariant().TrimEnd('/');
        return text.EndsWith(".git", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static bool IsDeny(string? pattern) => pattern?.StartsWith('!') == true;

    /// <summary>Argo CD's globMatch with negation: "*" matches all, "!p" matches what p does not.</summary>
    private static bool GlobMatch(string? pattern, string value)
    {
        if (pattern is null)
        {
            return false;
        }

        return IsDeny(pattern) ? !Match(pattern[1..]) : Match(pattern);

        bool Match(string p) => p == "*" || ArgoGlob.Match(p, value);
    }

    // filepath.Match on kind and group: no brace alternatives there.
    private static bool InList(List<GroupKind>? list, string group, string kind) =>
        list?.Any(item => FileMatch(item.Kind, kind) && FileMatch(item.Group, group)) == true;

    private static bool FileMatch(string pattern, string value) =>
        ArgoGlob.Match(pattern.Replace("{", "\\{", StringComparison.Ordinal).Replace("}", "\\}", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal), value, '/');
}
