using System.Text.RegularExpressions;
using Platform.Build.Core.Graph;

namespace Platform.Build.Terraform;

/// <summary>
/// A misspelt variable in terraform.tfvars is only a warning to Terraform, and
/// the value silently falls back to the default (a prod cluster with dev's sizes).
/// Here it is an error, naming the file, the line and the closest declared name.
/// </summary>
public static partial class TfvarsNames
{
    /// <summary>The first undeclared assignment of <paramref name="tfvars"/> as one line, or null.</summary>
    public static string? Undeclared(string folder, string tfvars, string shownTfvars)
    {
        var declared = Directory.EnumerateFiles(folder, "*.tf")
            .SelectMany(f => Declaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);
        var lines = File.ReadAllLines(tfvars);
        var depth = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            // Top-level assignments only: names inside maps and objects are values, not variables.
            if (depth == 0 && Assignment().Match(lines[i]) is { Success: true } assignment && !declared.Contains(assignment.Groups["name"].Value))
            {
                var name = assignment.Groups["name"].Value;
                var close = TargetSuggestions.Closest(name, declared, 1);
                return $"{shownTfvars}:{i + 1}: variable '{name}' is not declared in {Path.GetFileName(folder)}/variables.tf: "
                    + (close.Count > 0 ? $"did you mean {close[0]}?" : "remove it or declare it");
            }

            var code = Comment().Replace(lines[i], string.Empty);
            depth += code.Count(c => c is '{' or '[') - code.Count(c => c is '}' or ']');
        }

        return null;
    }

    [GeneratedRegex("(?m)^\\s*variable\\s+\"(?<name>[A-Za-z_][A-Za-z0-9_-]*)\"")]
    private static partial Regex Declaration();

    [GeneratedRegex("^\\s*(?<name>[A-Za-z_][A-Za-z0-9_-]*)\\s*=")]
    private static partial Regex Assignment();

    [GeneratedRegex("(#|//).*$|\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Comment();
}
