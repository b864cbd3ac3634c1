using System.Collections.Concurrent;
using Platform.Build.Context;
using Platform.Build.Tools;

namespace Platform.Build.Kubernetes.Manifests;

/// <summary>A kustomization rendered with kubectl kustomize and parsed strictly; or why it could not be.</summary>
public sealed record RenderResult(string Folder, IReadOnlyList<Manifest> Manifests, string? Error)
{
    public bool Succeeded => Error is null;

    public IEnumerable<T> Objects<T>() => Manifests.Select(m => m.Object).OfType<T>();
}

/// <summary>
/// This run's renders of the repository's kustomizations, each done once and
/// shared by the tasks that read it (namespaces feed 4.1 and the isolation
/// check of 4.2; projects feed 3.3 and the enforcement check).
/// </summary>
public sealed class ManifestRenders(BuildContext context)
{
    private readonly ConcurrentDictionary<string, Lazy<RenderResult>> _renders = new();

    /// <summary><c>kubectl kustomize</c> of a repository folder, every object parsed strictly.</summary>
    public RenderResult Render(string folder) =>
        _renders.GetOrAdd(folder, f => new Lazy<RenderResult>(() => RenderNow(f))).Value;

    /// <summary>Every YAML file under the folder that holds Kubernetes objects, parsed strictly (errors name the file and line).</summary>
    public IReadOnlyList<string> SourceErrors(string folder, out int objects)
    {
        var errors = new List<string>();
        objects = 0;
        var full = context.Paths.Combine(folder);
        if (!Directory.Exists(full))
        {
            return [$"{folder} does not exist"];
        }

        foreach (var file in Directory.EnumerateFiles(full, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            if (!ManifestParser.LooksLikeManifest(text))
            {
                continue;
            }

            try
            {
                objects += ManifestParser.Parse(text, context.Paths.Relative(file)).Count;
            }
            catch (ManifestException e)
            {
                errors.Add(e.Message);
            }
        }

        return errors;
    }

    private RenderResult RenderNow(string folder)
    {
        if (!File.Exists(context.Paths.Combine(Path.Combine(folder, "kustomization.yaml"))))
        {
            return new RenderResult(folder, [], $"{folder}/kustomization.yaml does not exist");
        }

        var result = context.KubectlKustomize(context.Paths.Combine(folder));
        if (!result.Succeeded)
        {
            return new RenderResult(folder, [], $"kubectl kustomize {folder}: {result.Tail(5)}");
        }

        try
        {
            var manifests = ManifestParser.Parse(result.Text, $"{folder} (rendered)");
            return manifests.Count == 0
                ? new RenderResult(folder, [], $"{folder} renders no objects")
                : new RenderResult(folder, manifests, null);
        }
        catch (ManifestException e)
        {
            return new RenderResult(folder, [], e.Message);
        }
    }
}
