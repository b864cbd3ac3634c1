using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Kubernetes;

/// <summary>Offline manifest checks shared by the Phase 3 and 4 tasks.</summary>
public static class KubernetesChecks
{
    /// <summary>etcd's default request size limit (--max-request-bytes, 1.5 MiB): no single object may exceed it.</summary>
    public const int ObjectSizeLimit = 1536 * 1024;

    /// <summary>yamllint over kubernetes/ with its .yamllint.</summary>
    public static Outcome Yamllint(BuildContext context) => LintChecks.Yamllint(context, "kubernetes");

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
}
