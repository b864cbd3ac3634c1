using System.Collections.Concurrent;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Kubernetes.Manifests;

/// <summary>A kustomization rendered with kubectl kustomize and parsed strictly; or why it could not be.</summary>
public sealed record RenderResult(string Folder, IReadOnlyList<Manifest> Manifests, string? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>The folder has no kustomization yet: the repository lacks it, which is "not implemented", not broken.</summary>
    public bool Missing { get; init; }

    /// <summary>Why it did not render, as a check's outcome.</summary>
    public Outcome Failure => Missing ? Outcome.NotImplemented(Error!) : Outcome.Fail(Error!);

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

        // Strict parsing is the slow part of a big tree: files are parsed side by side.
        var files = Directory.EnumerateFiles(full, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var parsed = new (int Objects, string? Error)[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var text = File.ReadAllText(files[i]);
            if (!ManifestParser.LooksLikeManifest(text))
            {
                return;
            }

            try
            {
                parsed[i] = (ManifestParser.Parse(text, context.Paths.Relative(files[i])).Count, null);
            }
            catch (ManifestException e)
            {
                parsed[i] = (0, e.Message);
            }
        });

        objects = parsed.Sum(p => p.Objects);
        errors.AddRange(parsed.Where(p => p.Error is not null).Select(p => p.Error!));
        return errors;
    }

    /// <summary>Aggregates with more resources than this are rendered in chunks (see <see cref="RenderNow"/>).</summary>
    public const int ChunkSize = 50;

    private RenderResult RenderNow(string folder)
    {
        var kustomization = context.Paths.Combine(Path.Combine(folder, "kustomization.yaml"));
        if (!File.Exists(kustomization))
        {
            return new RenderResult(folder, [], $"{folder}/kustomization.yaml does not exist") { Missing = true };
        }

        // kustomize checks each resource it adds against all it holds, so one render
        // of N objects grows as N squared (7 s for the policies of 400 namespaces on
        // 2 cores, 0.4 s for an eighth of them). A kustomization that only lists
        // local resources, with no transformer, renders to the concatenation of what
        // it lists: big ones are rendered in chunks, side by side, and the duplicate
        // check kustomize would make across them is made here.
        var chunks = AggregateChunks(folder, File.ReadAllText(kustomization));
        var results = new (string Text, string? Error)[chunks.Count];
        Parallel.For(0, chunks.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var result = context.KubectlKustomize(chunks[i]);
            results[i] = result.Succeeded ? (result.Text, null) : (string.Empty, $"kubectl kustomize {folder}: {result.Tail(5)}");
        });

        if (results.FirstOrDefault(r => r.Error is not null).Error is { } error)
        {
            return new RenderResult(folder, [], error);
        }

        try
        {
            var manifests = results.AsParallel().AsOrdered().SelectMany(r => ManifestParser.Parse(r.Text, $"{folder} (rendered)")).ToList();
            var duplicate = manifests.GroupBy(m => (m.Group, m.Kind, m.Namespace, m.Name)).FirstOrDefault(g => g.Count() > 1);
            return duplicate is not null
                ? new RenderResult(folder, [], $"kubectl kustomize {folder}: {duplicate.Key.Kind}/{duplicate.Key.Name}{(duplicate.Key.Namespace is null ? string.Empty : $" in {duplicate.Key.Namespace}")} is rendered twice: remove one")
                : manifests.Count == 0
                    ? new RenderResult(folder, [], $"{folder} renders no objects")
                    : new RenderResult(folder, manifests, null);
        }
        catch (ManifestException e)
        {
            return new RenderResult(folder, [], e.Message);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is ManifestException) is { } first)
        {
            return new RenderResult(folder, [], first.Message);
        }
    }

    /// <summary>The folder itself, or - for a large pure aggregate - kustomizations of its resources in chunks, written under artifacts/.</summary>
    private List<string> AggregateChunks(string folder, string text)
    {
        var whole = new List<string> { context.Paths.Combine(folder) };
        List<string> resources;
        try
        {
            var map = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(text);
            if (map is null || map.Keys.Any(k => k is not ("apiVersion" or "kind" or "resources")) || map.GetValueOrDefault("resources") is not List<object> listed)
            {
                return whole;
            }

            resources = [.. listed.Select(r => r as string ?? string.Empty)];
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return whole; // kustomize itself says what is wrong
        }

        var source = context.Paths.Combine(folder);
        // Only what is on disk under the folder: a remote resource (with or without a scheme) keeps the whole render.
        bool Local(string r) => r.Length > 0 && Path.GetFullPath(Path.Combine(source, r)) is var full
            && full.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal) && (File.Exists(full) || Directory.Exists(full));
        if (resources.Count <= ChunkSize || !resources.All(Local))
        {
            return whole;
        }

        var target = context.Paths.Combine($"artifacts/kustomize/{folder.Replace('/', '-')}");
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        var chunks = new List<string>();
        foreach (var (part, index) in resources.Chunk(ChunkSize).Select((part, index) => (part, index)))
        {
            var directory = Path.Combine(target, index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var lines = new List<string>();
            foreach (var (resource, i) in part.Select((r, i) => (r, i)))
            {
                var full = Path.Combine(source, resource);
                if (File.Exists(full))
                {
                    // A plain manifest loads nothing else: a copy inside the chunk renders the same,
                    // and kustomize's load restrictions stay as Argo CD applies them.
                    var copy = $"{i:D3}-{Path.GetFileName(full)}";
                    File.Copy(full, Path.Combine(directory, copy));
                    lines.Add($"  - {copy}");
                }
                else
                {
                    lines.Add("  - " + Path.GetRelativePath(directory, full).Replace('\\', '/'));
                }
            }

            File.WriteAllText(Path.Combine(directory, "kustomization.yaml"),
                $"# Part {index + 1} of {context.Paths.Relative(source)}/kustomization.yaml, rendered by the build.\nresources:\n{string.Join('\n', lines)}\n");
            chunks.Add(directory);
        }

        return chunks;
    }
}
