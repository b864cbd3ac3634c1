using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Build.Core.Audit;

/// <summary>
/// A reviewed exception to one rule for one object: who owns it, why, and
/// until when. <see cref="Object"/> matches a finding's object exactly, or
/// every object starting with the text before a trailing "*".
/// </summary>
public sealed record Waiver(string Rule, string Object, string Reason, string Owner, DateOnly Expires, SourceLocation Location)
{
    public bool Covers(Finding finding) =>
        finding.RuleId == Rule && (Object.EndsWith('*') ? finding.Object.StartsWith(Object[..^1], StringComparison.Ordinal) : finding.Object == Object);

    public bool ExpiredOn(DateOnly today) => Expires < today;
}

/// <summary>Bad waiver input: the message names the file, the line, the field and the fix.</summary>
public sealed class WaiverException(string message) : Exception(message);

/// <summary>Reads the waiver file: a `waivers:` list, every field required, dates as YYYY-MM-DD.</summary>
public static class Waivers
{
    public const string File = "audit/waivers.yaml";

    private static readonly string[] Fields = ["rule", "object", "reason", "owner", "expires"];

    /// <summary>The waivers of <paramref name="text"/>; none for an absent file.</summary>
    public static IReadOnlyList<Waiver> Parse(string? text, string file = File)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new WaiverException($"{file}:{e.Start.Line}: not valid YAML ({e.InnerException?.Message ?? e.Message}): fix the syntax");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some unclosed flow collections without a position.
            throw new WaiverException($"{file}: not valid YAML (an unclosed [ or {{?): fix the syntax");
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("waivers"), out var list))
        {
            throw new WaiverException($"{file}:1: field 'waivers' is missing: the file holds `waivers:` and a list of waivers (see audit/README.md)");
        }

        if (list is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        if (list is not YamlSequenceNode sequence)
        {
            throw new WaiverException($"{file}:{list.Start.Line}: field 'waivers' is not a list: give one `- rule: ...` entry per waiver");
        }

        var waivers = new List<Waiver>();
        foreach (var node in sequence.Children)
        {
            var line = (int)node.Start.Line;
            if (node is not YamlMappingNode entry)
            {
                throw new WaiverException($"{file}:{line}: a waiver is not a mapping: give rule, object, reason, owner and expires");
            }

            var values = new Dictionary<string, string>();
            foreach (var (key, value) in entry.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? string.Empty;
                if (!Fields.Contains(name))
                {
                    throw new WaiverException($"{file}:{key.Start.Line}: field '{name}' is not a waiver field: use {string.Join(", ", Fields)}");
                }

                values[name] = (value as YamlScalarNode)?.Value?.Trim() ?? string.Empty;
            }

            foreach (var field in Fields.Where(f => string.IsNullOrEmpty(values.GetValueOrDefault(f))))
            {
                throw new WaiverException($"{file}:{line}: field '{field}' is missing or empty: every waiver names {string.Join(", ", Fields)}");
            }

            if (!DateOnly.TryParseExact(values["expires"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
            {
                throw new WaiverException($"{file}:{line}: field 'expires' is '{values["expires"]}', not a date: write it as YYYY-MM-DD");
            }

            waivers.Add(new Waiver(values["rule"], values["object"], values["reason"], values["owner"], expires, new SourceLocation(file, line)));
        }

        return waivers;
    }
}
