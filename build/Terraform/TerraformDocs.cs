using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>
/// The inputs/outputs tables of a module's README, generated from Terraform
/// itself: names, descriptions and defaults from the configuration section of
/// a plan (<c>terraform show -json</c>), types from the variable blocks.
/// </summary>
public static partial class TerraformDocs
{
    public const string Begin = "<!-- BEGIN_TF_DOCS (written by ./build.sh --target=TerraformDocs) -->";
    public const string End = "<!-- END_TF_DOCS -->";

    /// <summary>The Markdown between the markers for a module (or root module) configuration.</summary>
    public static string Render(JsonElement module, string variablesSource)
    {
        var text = new StringBuilder();
        text.AppendLine("## Inputs");
        text.AppendLine();
        text.AppendLine("| Name | Description | Type | Default | Required |");
        text.AppendLine("|------|-------------|------|---------|:--------:|");
        if (module.TryGetProperty("variables", out var variables))
        {
            foreach (var variable in variables.EnumerateObject().OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                var hasDefault = variable.Value.TryGetProperty("default", out var value);
                text.AppendLine($"| `{variable.Name}` | {Cell(Description(variable.Value))} | `{Cell(TypeOf(variablesSource, variable.Name))}` | {(hasDefault ? $"`{Cell(value.GetRawText())}`" : "n/a")} | {(hasDefault ? "no" : "yes")} |");
            }
        }

        text.AppendLine();
        text.AppendLine("## Outputs");
        text.AppendLine();
        text.AppendLine("| Name | Description |");
        text.AppendLine("|------|-------------|");
        if (module.TryGetProperty("outputs", out var outputs))
        {
            foreach (var output in outputs.EnumerateObject().OrderBy(o => o.Name, StringComparer.Ordinal))
            {
                text.AppendLine($"| `{output.Name}` | {Cell(Description(output.Value))} |");
            }
        }

        return text.ToString();
    }

    /// <summary>The README with its generated block replaced.</summary>
    public static string Embed(string readme, string block, string path)
    {
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path} has no '{Begin}' ... '{End}' block: add the two markers where the tables go");
        }

        return string.Concat(readme.AsSpan(0, begin + Begin.Length), "\n", block, readme.AsSpan(end));
    }

    /// <summary>Names of variables or outputs in a module configuration that have no description.</summary>
    public static IEnumerable<string> Undescribed(JsonElement module) =>
        new[] { "variables", "outputs" }
            .Where(kind => module.TryGetProperty(kind, out _))
            .SelectMany(kind => module.GetProperty(kind).EnumerateObject()
                .Where(p => string.IsNullOrWhiteSpace(Description(p.Value)))
                .Select(p => $"{kind[..^1]} {p.Name}"));

    /// <summary>The type expression of a variable block, on one line ("any" when none is given).</summary>
    public static string TypeOf(string variablesSource, string name)
    {
        var lines = variablesSource.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith($"variable \"{name}\"", StringComparison.Ordinal));
        if (start < 0)
        {
            return "any";
        }

        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith('}'); i++)
        {
            var match = TypeLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var expression = new StringBuilder(match.Groups[1].Value.Trim());
            while (Depth(expression.ToString()) > 0 && ++i < lines.Length)
            {
                expression.Append(' ').Append(lines[i].Trim());
            }

            return Spaces().Replace(expression.ToString(), " ").Replace("( ", "(").Replace("{ ", "{ ").Trim();
        }

        return "any";
    }

    private static int Depth(string text) => text.Count(c => c is '(' or '{' or '[') - text.Count(c => c is ')' or '}' or ']');

    private static string Description(JsonElement element) =>
        element.TryGetProperty("description", out var description) ? description.GetString() ?? string.Empty : string.Empty;

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    [GeneratedRegex(@"^\s*type\s*=\s*(.+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Rewrites the inputs/outputs tables of every module and environment README from the dev plan's configuration.</summary>
    public static Outcome WriteAll(BuildContext context) =>
        TerraformChecks.WithPlan(context, "dev", plan =>
        {
            var written = new List<string>();
            var root = plan.Json.RootElement.GetProperty("configuration").GetProperty("root_module");
            var targets = context.LoadSpec().FoldersUnder("terraform/modules/").Select(m => ($"terraform/modules/{m}", plan.ModuleConfiguration(m)))
                .Concat(TerraformSession.Environments.Select(e => ($"terraform/environments/{e}", (JsonElement?)root)));
            foreach (var (folder, configuration) in targets)
            {
                if (configuration is not { } module)
                {
                    return Outcome.Fail($"the dev plan has no configuration for {folder}");
                }

                var readme = context.Paths.Combine($"{folder}/README.md");
                var tables = Render(module, File.ReadAllText(context.Paths.Combine($"{folder}/variables.tf")));
                File.WriteAllText(readme, Embed(File.ReadAllText(readme), tables, $"{folder}/README.md"));
                written.Add($"{folder}/README.md");
            }

            return Outcome.Pass($"tables written: {string.Join(", ", written)}");
        });
}
