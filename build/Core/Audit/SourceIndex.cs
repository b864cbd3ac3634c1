using System.Collections.Concurrent;

namespace Platform.Build.Core.Audit;

/// <summary>
/// Finds where in the repository a finding is fixed: the first line of a
/// file under a folder that a predicate picks. Files are read once per audit.
/// </summary>
public sealed class SourceIndex(string root)
{
    private readonly ConcurrentDictionary<string, string[]> _lines = new();

    public string Root => root;

    /// <summary>The first matching line of the files under <paramref name="folder"/> ending in <paramref name="extension"/>, in name order.</summary>
    public SourceLocation? Find(string folder, string extension, Func<string, bool> line, Func<string, bool>? file = null)
    {
        var full = Path.Combine(root, folder);
        var files = File.Exists(full) ? [full]
            : Directory.Exists(full) ? Directory.EnumerateFiles(full, "*" + extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
        foreach (var path in files)
        {
            var lines = Lines(path);
            if (file is not null && !file(string.Join('\n', lines)))
            {
                continue;
            }

            var index = Array.FindIndex(lines, l => line(l.TrimStart()));
            if (index >= 0)
            {
                return new SourceLocation(Path.GetRelativePath(root, path).Replace('\\', '/'), index + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// The first line of <paramref name="file"/> (or of a file under it, for a folder) that contains
    /// <paramref name="text"/>; else line 1 of the file, or of the folder's kustomization or README.
    /// </summary>
    public SourceLocation In(string file, string? text = null) =>
        (text is null ? null : Find(file, string.Empty, l => l.Contains(text, StringComparison.Ordinal)))
        ?? new SourceLocation(Directory.Exists(Path.Combine(root, file))
            ? new[] { "kustomization.yaml", "README.md" }.Select(f => $"{file}/{f}").FirstOrDefault(f => File.Exists(Path.Combine(root, f))) ?? file
            : file, 1);

    private string[] Lines(string file) => _lines.GetOrAdd(file, f => File.ReadAllLines(f));
}
