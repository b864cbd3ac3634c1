using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy;
using Platform.Build.Tenancy.Projects;

namespace Platform.Build.Apps;

/// <summary>Offline checks of a tenant application's Argo CD Applications (Task 4.4), one per environment.</summary>
public static partial class ArgoApplicationChecks
{
    /// <summary>The application's Applications, one per environment, parsed strictly; or why not, as the outcome to report.</summary>
    private static (IReadOnlyList<(string Env, Application App, string File)> Apps, Outcome? Problem) Load(BuildContext context, TenantApplication app)
    {
        var found = new List<(string, Application, string)>();
        foreach (var env in TenantApplication.Environments)
        {
            var file = $"kubernetes/argocd/applications/{app.ApplicationName(env)}.yaml";
            var path = context.Paths.Combine(file);
            if (!File.Exists(path))
            {
                return ([], Outcome.NotImplemented($"{file} does not exist"));
            }

            try
            {
                var parsed = ManifestParser.Parse(File.ReadAllText(path), file).Select(m => m.Object).OfType<Application>().ToList();
                if (parsed.Count != 1)
                {
                    return ([], Outcome.Fail($"{file} must hold exactly one Application"));
                }

                found.Add((env, parsed[0], file));
            }
            catch (ManifestException e)
            {
                return ([], Outcome.Fail(e.Message));
            }
        }

        return (found, null);
    }

    /// <summary>"Points to correct path": this repository, the environment's overlay (which renders), its namespace, its organization's project.</summary>
    public static Outcome PointsToCorrectPath(BuildContext context, TenantApplication app) => TenantFiles.WithCatalog(context.Paths, catalog =>
    {
        var (apps, problem) = Load(context, app);
        if (problem is not null)
        {
            return problem;
        }

        var findings = new List<string>();
        foreach (var (env, application, file) in apps)
        {
            var source = application.Spec.Source;
            if (application.Metadata.Name != app.ApplicationName(env) || application.Metadata.NamespaceProperty != ApplicationLive.ArgoNamespace)
            {
                findings.Add($"{file}: must be Application {app.ApplicationName(env)} in namespace {ApplicationLive.ArgoNamespace}");
            }

            if (source is null || ProjectRules.NormalizeGitUrl(source.RepoUrl) != ProjectRules.NormalizeGitUrl(catalog.Platform.RepoUrl))
            {
                findings.Add($"{file}: source.repoURL must be this repository ({catalog.Platform.RepoUrl})");
            }

            if (source?.Path?.TrimEnd('/') != app.Overlay(env))
            {
                findings.Add($"{file}: source.path is '{source?.Path}', must be {app.Overlay(env)}");
            }
            else if (context.Renders.Render(app.Overlay(env)) is { Succeeded: false } render)
            {
                findings.Add($"{file}: {source.Path} does not render: {render.Error}");
            }

            if (application.Spec.Destination.Namespace != app.Namespace(env) || application.Spec.Destination.Server != catalog.Platform.Server)
            {
                findings.Add($"{file}: destination must be {app.Namespace(env)} on {catalog.Platform.Server}");
            }

            if (application.Spec.Project != app.Organization)
            {
                findings.Add($"{file}: project is '{application.Spec.Project}', must be {app.Organization} (the organization whose namespace it deploys to)");
            }
        }

        return Outcome.FromFindings(findings, string.Join("; ", apps.Select(a => $"{a.App.Metadata.Name}: {a.App.Spec.Source?.Path} -> {a.App.Spec.Destination.Namespace} (project {a.App.Spec.Project})")));
    });

    /// <summary>
    /// "Sync policy configured": automated with self-heal; prune in dev only (prod keeps
    /// the seed's prune: false); the namespace never created by the Application; retries;
    /// prod pinned to a tag or commit, never a branch.
    /// </summary>
    public static Outcome SyncPolicy(BuildContext context, TenantApplication app)
    {
        var (apps, problem) = Load(context, app);
        if (problem is not null)
        {
            return problem;
        }

        var findings = new List<string>();
        foreach (var (env, application, file) in apps)
        {
            var policy = application.Spec.SyncPolicy;
            var options = policy?.SyncOptions ?? [];
            if (policy?.Automated is not { SelfHeal: true } automated)
            {
                findings.Add($"{file}: syncPolicy.automated with selfHeal: true is required (git is the source of truth)");
            }
            else if ((automated.Prune == true) != (env == "dev"))
            {
                findings.Add($"{file}: prune must be {(env == "dev" ? "true in dev (removed manifests go away)" : "false in prod (the seed's choice: removals are reviewed)")}");
            }

            if (!options.Contains("CreateNamespace=false"))
            {
                findings.Add($"{file}: syncOptions must hold CreateNamespace=false (the namespace is the platform's, with its quota and policies)");
            }

            if (policy?.Retry?.Limit is not > 0)
            {
                findings.Add($"{file}: syncPolicy.retry.limit must be set (a transient failure should not stop the sync)");
            }

            var revision = application.Spec.Source?.TargetRevision ?? string.Empty;
            if (env == "prod" && !PinnedRevision().IsMatch(revision))
            {
                findings.Add($"{file}: targetRevision '{revision}' moves; prod must be pinned to a release tag (e.g. sso-v1.2.3) or a commit");
            }
        }

        return Outcome.FromFindings(findings, string.Join("; ", apps.Select(a =>
            $"{a.App.Metadata.Name}: automated, selfHeal, prune {(a.App.Spec.SyncPolicy?.Automated?.Prune == true ? "on" : "off")}, CreateNamespace=false, retry {a.App.Spec.SyncPolicy?.Retry?.Limit}, at {a.App.Spec.Source?.TargetRevision}")));
    }

    /// <summary>Argo CD's own project rules, simulated, for the application's Applications with the objects their overlays render.</summary>
    public static Outcome WithinProject(BuildContext context, TenantApplication app)
    {
        var (apps, problem) = Load(context, app);
        if (problem is not null)
        {
            return problem;
        }

        TenantCatalog catalog;
        try
        {
            catalog = TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        }
        catch (DataFileException e)
        {
            return Outcome.Fail(e.Message);
        }

        var findings = new List<string>();
        var objects = 0;
        foreach (var (env, application, file) in apps)
        {
            // Judged by the projects of the cluster its namespace is placed on.
            var cluster = catalog.ClusterOf(application.Spec.Destination.Namespace ?? string.Empty) ?? env;
            var projects = context.Renders.Render(TenantLayout.Projects(cluster));
            if (!projects.Succeeded)
            {
                return projects.Failure;
            }

            var rules = projects.Objects<AppProject>().ToDictionary(p => p.Metadata.Name, p => new ProjectRules(p));
            var render = context.Renders.Render(app.Overlay(env));
            objects += render.Manifests.Count;
            findings.AddRange(ProjectEnforcement.Check(application, rules, render.Succeeded ? render.Manifests : null).Select(f => $"{file}: {f}"));
        }

        return Outcome.FromFindings(findings, $"{string.Join(", ", apps.Select(a => a.App.Metadata.Name))} and their {objects} rendered objects are within project {app.Organization}: its repositories, its namespaces, no cluster-scoped or guardrail kinds");
    }

    /// <summary>A release tag (semver, with an optional prefix) or a full commit id.</summary>
    [GeneratedRegex(@"^([0-9a-f]{40}|([a-z0-9-]+-)?v\d+\.\d+\.\d+)$")]
    private static partial Regex PinnedRevision();
}
