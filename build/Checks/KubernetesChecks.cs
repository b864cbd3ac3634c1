using Platform.Build.Context;
using Platform.Build.Kubernetes.ArgoCd;
using Platform.Build.Tenants;

namespace Platform.Build.Checks;

/// <summary>Offline manifest checks shared by the Phase 3 and 4 tasks.</summary>
public static class KubernetesChecks
{
    /// <summary>etcd's default request size limit (--max-request-bytes, 1.5 MiB): no single object may exceed it.</summary>
    public const int ObjectSizeLimit = 1536 * 1024;

    /// <summary>Renders each kustomization and parses every object strictly; also every source file, so errors name the file and line.</summary>
    public static Outcome RenderStrict(BuildContext context, params string[] folders)
    {
        var findings = new List<string>();
        var rendered = new List<string>();
        foreach (var folder in folders)
        {
            if (!File.Exists(context.Paths.Combine($"{folder}/kustomization.yaml")))
            {
                return Outcome.NotImplemented($"{folder}/kustomization.yaml does not exist");
            }

            var sourceErrors = context.Renders.SourceErrors(folder, out var sourceObjects);
            findings.AddRange(sourceErrors);
            var render = context.Renders.Render(folder);
            if (!render.Succeeded)
            {
                findings.Add(render.Error!);
                continue;
            }

            // etcd refuses a request over 1.5 MiB: such an object renders fine and fails only at apply.
            foreach (var manifest in render.Manifests)
            {
                var size = System.Text.Encoding.UTF8.GetByteCount(k8s.KubernetesJson.Serialize(manifest.Object));
                if (size > ObjectSizeLimit)
                {
                    findings.Add($"{manifest}: {size / 1024} KiB, over the API server's object size limit ({ObjectSizeLimit / 1024} KiB, etcd's request limit): split it");
                }
            }

            var kinds = render.Manifests.GroupBy(m => m.Kind).Select(g => $"{g.Count()} {g.Key}");
            rendered.Add($"{folder}: {string.Join(", ", kinds)} ({sourceObjects} in source files)");
        }

        return Outcome.FromFindings(findings, $"rendered and parsed strictly: {string.Join("; ", rendered)}");
    }

    /// <summary>The Argo CD values of both environments read strictly and held to the platform's rules (prod also to HA).</summary>
    public static Outcome ArgoCdSettings(BuildContext context)
    {
        if (!File.Exists(context.Paths.Combine($"{ArgoCdInstall.Folder}/chart.yaml")))
        {
            return Outcome.NotImplemented($"{ArgoCdInstall.Folder}/chart.yaml does not exist");
        }

        var findings = new List<string>();
        string? pin = null;
        foreach (var environment in new[] { "dev", "prod" })
        {
            try
            {
                var install = ArgoCdInstall.Load(context.Paths.Root, environment);
                pin = $"chart {install.Chart.Chart} {install.Chart.Version} (Argo CD {install.Chart.AppVersion})";
                findings.AddRange(install.Findings(environment).Select(f => $"{environment}: {f}"));
            }
            catch (DataFileException e)
            {
                findings.Add(e.Message);
            }
        }

        return Outcome.FromFindings(findings, $"{pin}: exec off, RBAC default deny, network policies, metrics; prod: Redis HA, 2+ API and repo servers");
    }

    /// <summary>The install README gives the pinned version, the command, and how to rotate the admin password.</summary>
    public static Outcome ArgoCdReadme(BuildContext context)
    {
        var readme = context.Paths.Combine($"{ArgoCdInstall.Folder}/README.md");
        if (!File.Exists(readme))
        {
            return Outcome.NotImplemented($"{ArgoCdInstall.Folder}/README.md does not exist");
        }

        var text = File.ReadAllText(readme);
        var findings = new List<string>();
        try
        {
            var install = ArgoCdInstall.Load(context.Paths.Root, "dev");
            if (!text.Contains(install.Chart.Version, StringComparison.Ordinal))
            {
                findings.Add($"README does not name the pinned chart version {install.Chart.Version}");
            }
        }
        catch (DataFileException e)
        {
            findings.Add(e.Message);
        }

        foreach (var (needle, why) in new[] { ("--target=InstallArgoCd", "the install command"), ("update-password", "how to rotate the admin password"), ("values-prod.yaml", "what prod adds") })
        {
            if (!text.Contains(needle, StringComparison.Ordinal))
            {
                findings.Add($"README does not give {why} ({needle})");
            }
        }

        return Outcome.FromFindings(findings, $"{ArgoCdInstall.Folder}/README.md gives the pinned version, the install command, prod's HA and password rotation");
    }
}
