using Platform.Build.Context;
using Platform.Build.Tools;

namespace Platform.Build.Checks;

/// <summary>Offline manifest checks shared by the Phase 3 and 4 tasks.</summary>
public static class KubernetesChecks
{
    /// <summary><c>kubectl kustomize</c> of a folder: it must render at least one object.</summary>
    public static Outcome KustomizeBuild(BuildContext context, params string[] folders)
    {
        var findings = new List<string>();
        var rendered = new List<string>();
        foreach (var folder in folders)
        {
            if (!File.Exists(context.Paths.Combine(Path.Combine(folder, "kustomization.yaml"))))
            {
                return Outcome.NotImplemented($"{folder}/kustomization.yaml does not exist");
            }

            var result = context.KubectlKustomize(context.Paths.Combine(folder));
            var objects = result.Output.Count(l => l.StartsWith("kind: ", StringComparison.Ordinal));
            if (!result.Succeeded)
            {
                findings.Add($"{folder}: {result.Tail()}");
            }
            else if (objects == 0)
            {
                findings.Add($"{folder}: renders no objects");
            }
            else
            {
                rendered.Add($"{folder}: {objects} objects");
            }
        }

        return Outcome.FromFindings(findings, string.Join("; ", rendered));
    }
}
