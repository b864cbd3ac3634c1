using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Context;

namespace Platform.Build.Core.Checks;

/// <summary>
/// "Listed files exist and are well-formed": every file a task lists exists,
/// and parses as what its name says (YAML, JSON, a version file, a script
/// with a shebang, a README with a heading). Deeper checks belong to the
/// task's other items (terraform validate, ansible-lint, kustomize...).
/// </summary>
public static partial class FileChecks
{
    public static Outcome Check(PlatformPaths paths, IReadOnlyList<string> files)
    {
        var missing = files.Where(f => !File.Exists(paths.Combine(f))).ToList();
        if (missing.Count > 0)
        {
            return Outcome.NotImplemented($"{missing.Count} of {files.Count} files missing: {string.Join(", ", missing)}");
        }

        var problems = files.Select(f => Problem(paths.Combine(f), f)).OfType<string>().ToList();
        return Outcome.FromFindings(problems, $"{files.Count} files present and well-formed");
    }

    /// <summary>Why a file is not well-formed, or null.</summary>
    public static string? Problem(string path, string shown)
    {
        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text))
        {
            return $"{shown}: empty";
        }

        var name = System.IO.Path.GetFileName(path);
        return name switch
        {
            _ when name.EndsWith(".j2", StringComparison.Ordinal) => null, // a template: rendered and checked by its role's tests
            _ when name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal) || name == ".ansible-lint" => Yaml(text, shown),
            _ when name.EndsWith(".json", StringComparison.Ordinal) => Json(text, shown),
            ".terraform-version" => VersionFile().IsMatch(text.Trim()) ? null : $"{shown}: expected a version such as 1.11.4, found '{text.Trim()}'",
            _ when name.EndsWith(".sh", StringComparison.Ordinal) => text.StartsWith("#!", StringComparison.Ordinal) ? null : $"{shown}:1: a shell script needs a #! line",
            _ when name.EndsWith(".py", StringComparison.Ordinal) => Script(path, text, shown),
            _ when name.EndsWith(".md", StringComparison.Ordinal) => text.Split('\n').Any(l => l.StartsWith("# ", StringComparison.Ordinal)) ? null : $"{shown}: a README needs a '# ' title",
            _ when name.EndsWith(".cfg", StringComparison.Ordinal) => text.Split('\n').Any(l => IniSection().IsMatch(l.Trim())) ? null : $"{shown}: no [section] found",
            _ => null,
        };
    }

    private static string? Yaml(string text, string shown)
    {
        try
        {
            new YamlStream().Load(new StringReader(text));
            return null;
        }
        catch (YamlException e)
        {
            return $"{shown}:{e.Start.Line}:{e.Start.Column}: {e.Message}";
        }
    }

    private static string? Json(string text, string shown)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException e)
        {
            return $"{shown}:{(e.LineNumber ?? 0) + 1}: {e.Message}";
        }
    }

    private static string? Script(string path, string text, string shown)
    {
        if (!text.StartsWith("#!", StringComparison.Ordinal))
        {
            return $"{shown}:1: a script needs a #! line";
        }

        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0
            ? null
            : $"{shown}: not executable (Ansible runs inventory scripts): chmod +x {shown}";
    }

    [GeneratedRegex(@"^\d+\.\d+(\.\d+)?$")]
    private static partial Regex VersionFile();

    [GeneratedRegex(@"^\[[^\]]+\]$")]
    private static partial Regex IniSection();
}
