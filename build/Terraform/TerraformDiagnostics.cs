using System.Text.Json;

namespace Platform.Build.Terraform;

/// <summary>
/// Turns Terraform's machine-readable errors (<c>-json</c> output) into one
/// line each: file, line, the variable concerned, and what Terraform said.
/// </summary>
public static class TerraformDiagnostics
{
    /// <param name="lines">The JSON lines Terraform printed.</param>
    /// <param name="directory">The folder Terraform ran in (diagnostic file names are relative to it).</param>
    /// <param name="display">Maps an absolute path to the one shown to the user.</param>
    public static IReadOnlyList<string> Errors(IEnumerable<string> lines, string directory, Func<string, string> display)
    {
        var errors = new List<string>();
        foreach (var line in lines.Where(l => l.StartsWith('{')))
        {
            JsonElement diagnostic;
            try
            {
                using var json = JsonDocument.Parse(line);
                if (!json.RootElement.TryGetProperty("diagnostic", out var found) || found.GetProperty("severity").GetString() != "error")
                {
                    continue;
                }

                diagnostic = found.Clone();
            }
            catch (JsonException)
            {
                continue;
            }

            errors.Add(Describe(diagnostic, directory, display));
        }

        return errors;
    }

    private static string Describe(JsonElement diagnostic, string directory, Func<string, string> display)
    {
        var summary = diagnostic.GetProperty("summary").GetString()!.TrimEnd('.');
        var detail = diagnostic.TryGetProperty("detail", out var d) ? FirstParagraph(d.GetString()) : string.Empty;
        var where = string.Empty;
        if (diagnostic.TryGetProperty("range", out var range))
        {
            var file = range.GetProperty("filename").GetString()!;
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, file));
            where = $"{display(path)}:{range.GetProperty("start").GetProperty("line").GetInt32()}: ";
        }

        var variable = Variable(diagnostic);
        var subject = variable is null ? string.Empty : $"variable {variable}: ";
        return $"{where}{subject}{summary}{(detail.Length > 0 ? ": " + detail : string.Empty)}";
    }

    /// <summary>The variable a diagnostic is about: from the tfvars line (name = value) or the var.NAME it mentions.</summary>
    private static string? Variable(JsonElement diagnostic)
    {
        if (diagnostic.TryGetProperty("snippet", out var snippet) && snippet.TryGetProperty("code", out var code) && code.GetString() is { } text)
        {
            var trimmed = text.Trim();
            var equals = trimmed.IndexOf('=');
            if (equals > 0 && trimmed[..equals].Trim() is { Length: > 0 } name && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
            {
                return name;
            }

            if (trimmed.StartsWith("variable \"", StringComparison.Ordinal))
            {
                return trimmed.Split('"')[1];
            }
        }

        return null;
    }

    private static string FirstParagraph(string? text) =>
        (text ?? string.Empty).Replace("\r", string.Empty).Split("\n\n")[0].ReplaceLineEndings(" ").Trim();
}
