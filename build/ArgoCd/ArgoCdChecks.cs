using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.ArgoCd;

/// <summary>Task 3.1's offline checks: the Argo CD install's values and its README.</summary>
public static class ArgoCdChecks
{
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
