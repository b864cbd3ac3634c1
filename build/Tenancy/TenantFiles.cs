using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;

namespace Platform.Build.Tenancy;

/// <summary>The rendered tenant files on disk: write them (the Tenants target) or check they are current (every build).</summary>
public static class TenantFiles
{
    public const string Fix = "run ./build.sh --target=Tenants and commit the result";

    /// <summary>Loads the catalog; bad input becomes one Failed line naming file, line, field and fix.</summary>
    public static Outcome WithCatalog(PlatformPaths paths, Func<TenantCatalog, Outcome> use)
    {
        var path = paths.Combine(TenantCatalog.RelativePath);
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented($"{TenantCatalog.RelativePath} does not exist");
        }

        try
        {
            return use(TenantCatalog.Load(path, TenantCatalog.RelativePath));
        }
        catch (DataFileException e)
        {
            return Outcome.Fail(e.Message);
        }
    }

    /// <summary>Writes what differs and removes generated files no organization renders any more; nothing else is touched.</summary>
    public static IReadOnlyList<string> Write(PlatformPaths paths, TenantCatalog catalog)
    {
        var changes = new List<string>();
        foreach (var (file, text) in TenantRenderer.Render(catalog))
        {
            var full = paths.Combine(file);
            if (File.Exists(full) && File.ReadAllText(full) == text)
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
            changes.Add($"wrote {file}");
        }

        foreach (var file in Stale(paths, catalog))
        {
            File.Delete(paths.Combine(file));
            changes.Add($"removed {file}");
        }

        return changes;
    }

    /// <summary>Findings: rendered files that are missing or differ on disk, and stale generated files.</summary>
    public static IReadOnlyList<string> Differences(PlatformPaths paths, TenantCatalog catalog, string folder)
    {
        var findings = new List<string>();
        foreach (var (file, text) in TenantRenderer.Render(catalog).Where(f => f.Key.StartsWith(folder + "/", StringComparison.Ordinal)))
        {
            var full = paths.Combine(file);
            if (!File.Exists(full))
            {
                findings.Add($"{file} is missing: {Fix}");
            }
            else if (File.ReadAllText(full) != text)
            {
                findings.Add($"{file} differs from what {TenantCatalog.RelativePath} renders (edited by hand, or the catalog changed): {Fix}");
            }
        }

        findings.AddRange(Stale(paths, catalog).Where(f => f.StartsWith(folder + "/", StringComparison.Ordinal))
            .Select(f => $"{f} is generated but no organization renders it any more: {Fix}"));
        return findings;
    }

    /// <summary>Generated files (they start with the header) in the owned folders that the catalog no longer renders.</summary>
    private static IEnumerable<string> Stale(PlatformPaths paths, TenantCatalog catalog)
    {
        var rendered = TenantRenderer.Render(catalog);
        var firstLine = TenantRenderer.Header[..TenantRenderer.Header.IndexOf('\n', StringComparison.Ordinal)];
        foreach (var folder in TenantRenderer.OwnedFolders)
        {
            var full = paths.Combine(folder);
            if (!Directory.Exists(full))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(full, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = paths.Relative(file).Replace('\\', '/');
                if (!rendered.ContainsKey(relative) && File.ReadLines(file).FirstOrDefault() == firstLine)
                {
                    yield return relative;
                }
            }
        }
    }

    /// <summary>The Tenants target: writes every file that follows from the catalog; nothing at all when the catalog is invalid.</summary>
    public static Outcome Render(PlatformPaths paths) => WithCatalog(paths, catalog =>
    {
        var changes = Write(paths, catalog);
        var summary = $"{catalog.Organizations.Count} organizations, {catalog.TenantNamespaces.Count()} namespaces";
        return Outcome.Pass(changes.Count == 0 ? $"{summary}: every file was already current" : $"{summary}: {string.Join(", ", changes)}");
    });
}
