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
    /// <param name="varFile">The variables file of the run: an input modules/platform refuses is named where the user set it.</param>
    public static IReadOnlyList<string> Errors(IEnumerable<string> lines, string directory, Func<string, string> display, string? varFile = null)
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

            errors.Add(Describe(diagnostic, directory, display, varFile));
        }

        return errors;
    }

    private static string Describe(JsonElement diagnostic, string directory, Func<string, string> display, string? varFile)
    {
        var summary = diagnostic.GetProperty("summary").GetString()!.TrimEnd('.');
        var detail = diagnostic.TryGetProperty("detail", out var d) ? FirstParagraph(d.GetString()) : string.Empty;
        var variable = Variable(diagnostic);
        var where = string.Empty;
        if (variable is not null && PassedThrough(diagnostic, variable) && SetIn(varFile, variable) is { } line)
        {
            where = $"{display(varFile!)}:{line}: ";
        }
        else if (diagnostic.TryGetProperty("range", out var range))
        {
            var file = range.GetProperty("filename").GetString()!;
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, file));
            where = $"{display(path)}:{range.GetProperty("start").GetProperty("line").GetInt32()}: ";
        }

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

    /// <summary>The error is at a module argument <c>NAME = var.NAME</c>: the value came from the environment's input.</summary>
    private static bool PassedThrough(JsonElement diagnostic, string variable) =>
        diagnostic.TryGetProperty("snippet", out var snippet) && snippet.TryGetProperty("code", out var code)
        && code.GetString() is { } text
        && System.Text.RegularExpressions.Regex.IsMatch(text, $@"^\s*{variable}\s*=\s*var\.{variable}\s*$");

    /// <summary>The line of the variables file that sets the variable, if it does.</summary>
    private static int? SetIn(string? varFile, string variable)
    {
        if (varFile is null || !File.Exists(varFile))
        {
            return null;
        }

        var lines = File.ReadAllLines(varFile);
        var index = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^\s*{variable}\s*="));
        return index < 0 ? null : index + 1;
    }

    private static string FirstParagraph(string? text) =>
        (text ?? string.Empty).Replace("\r", string.Empty).Split("\n\n")[0].ReplaceLineEndings(" ").Trim();
}
