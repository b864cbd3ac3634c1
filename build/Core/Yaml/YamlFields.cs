using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Build.Core.Yaml;

/// <summary>Bad input in a data file: one line naming the file, the line, the field and the fix.</summary>
public sealed class DataFileException(string file, long line, string field, string problem)
    : Exception($"{file}:{line}: {field}: {problem}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public string Field { get; } = field;
}

/// <summary>
/// Reads a YAML mapping field by field, keeping the path and line of each
/// for the error, and refusing keys it does not know (a typo must not be
/// silently dropped).
/// </summary>
public sealed class YamlFields
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = [];

    private YamlFields(string file, string path, YamlMappingNode node)
    {
        File = file;
        Path = path;
        _node = node;
    }

    public string File { get; }
    public string Path { get; }
    public long Line => _node.Start.Line;

    /// <summary>The root mapping of a one-document YAML text.</summary>
    public static YamlFields Root(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new DataFileException(file, e.Start.Line, "(syntax)", $"{e.Message.ReplaceLineEndings(" ")}: fix the YAML");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner can fail without a position (an unclosed flow collection): name the last line it read.
            throw new DataFileException(file, LastParsedLine(text), "(syntax)", "the YAML does not parse after this line (an unclosed [ or {, or a stray character?): fix the YAML");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DataFileException(file, 1, "(document)", "must hold exactly one YAML mapping");
        }

        return new YamlFields(file, string.Empty, root);
    }

    private static long LastParsedLine(string text)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        long line = 1;
        try
        {
            while (parser.MoveNext())
            {
                line = parser.Current?.End.Line ?? line;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or YamlException)
        {
            // the failure this line is for
        }

        return line;
    }

    public DataFileException Error(string field, string problem) => new(File, Line, Join(field), problem);

    public DataFileException ErrorAt(YamlNode node, string field, string problem) => new(File, node.Start.Line, Join(field), problem);

    public string RequiredString(string key, string hint) =>
        OptionalString(key) ?? throw Error(key, $"is required: {hint}");

    public string? OptionalString(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlScalarNode { Value: { Length: > 0 } value } => value,
            _ => throw ErrorAt(node, key, "must be a non-empty string"),
        };
    }

    public int RequiredInt(string key, string hint)
    {
        var node = Take(key) ?? throw Error(key, $"is required: {hint}");
        return node is YamlScalarNode { Value: { } text } && int.TryParse(text, out var value) && value >= 0
            ? value
            : throw ErrorAt(node, key, "must be a whole number, 0 or more");
    }

    public int? OptionalInt(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlScalarNode { Value: { } text } when int.TryParse(text, out var value) && value > 0 => value,
            _ => throw ErrorAt(node, key, "must be a whole number above 0"),
        };
    }

    public YamlFields RequiredMap(string key, string hint) =>
        OptionalMap(key) ?? throw Error(key, $"is required: {hint}");

    public YamlFields? OptionalMap(string key)
    {
        var node = Take(key);
        return node switch
        {
            null => null,
            YamlMappingNode map => new YamlFields(File, Join(key), map),
            _ => throw ErrorAt(node, key, "must be a mapping"),
        };
    }

    /// <summary>A mapping of names to mappings (like <c>sizes</c>), in file order.</summary>
    public IReadOnlyList<(string Name, YamlFields Fields)> RequiredNamedMaps(string key, string hint)
    {
        var map = RequiredMap(key, hint);
        var result = new List<(string, YamlFields)>();
        foreach (var (name, value) in map._node.Children)
        {
            var text = ((YamlScalarNode)name).Value ?? string.Empty;
            map._read.Add(text);
            result.Add((text, value is YamlMappingNode child
                ? new YamlFields(File, map.Join(text), child)
                : throw map.ErrorAt(value, text, "must be a mapping")));
        }

        return result.Count > 0 ? result : throw Error(key, $"must not be empty: {hint}");
    }

    /// <summary>A string-to-string mapping (labels).</summary>
    public IReadOnlyDictionary<string, string> RequiredStringMap(string key, string hint)
    {
        var map = RequiredMap(key, hint);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map._node.Children)
        {
            var text = ((YamlScalarNode)name).Value ?? string.Empty;
            map._read.Add(text);
            result[text] = value is YamlScalarNode { Value: { } v } ? v : throw map.ErrorAt(value, text, "must be a string");
        }

        return result.Count > 0 ? result : throw Error(key, $"must not be empty: {hint}");
    }

    public IReadOnlyList<string> RequiredStrings(string key, string hint)
    {
        var node = Take(key) ?? throw Error(key, $"is required: {hint}");
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw ErrorAt(node, key, $"must be a non-empty list: {hint}");
        }

        return [.. list.Children.Select((item, i) => item is YamlScalarNode { Value: { Length: > 0 } v }
            ? v
            : throw ErrorAt(item, $"{key}[{i}]", "must be a non-empty string"))];
    }

    /// <summary>A list of strings that may be left out (then empty), each with its node so an error can name its line.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)> OptionalStringNodes(string key)
    {
        var node = Take(key);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            throw ErrorAt(node, key, "must be a list of strings");
        }

        return [.. list.Children.Select((item, i) => item is YamlScalarNode { Value: { Length: > 0 } v }
            ? (v, item)
            : throw ErrorAt(item, $"{key}[{i}]", "must be a non-empty string"))];
    }

    public IReadOnlyList<YamlFields> RequiredMaps(string key, string hint)
    {
        var node = Take(key) ?? throw Error(key, $"is required: {hint}");
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw ErrorAt(node, key, $"must be a non-empty list: {hint}");
        }

        return [.. list.Children.Select((item, i) => item is YamlMappingNode map
            ? new YamlFields(File, Join($"{key}[{i}]"), map)
            : throw ErrorAt(item, $"{key}[{i}]", "must be a mapping"))];
    }

    /// <summary>A list of mappings that may be left out (then empty).</summary>
    public IReadOnlyList<YamlFields> OptionalMaps(string key) =>
        _node.Children.ContainsKey(new YamlScalarNode(key)) ? RequiredMaps(key, "leave it out, or list at least one entry") : [];

    /// <summary>Call when every field is read: a key nobody asked for is a typo or a misplaced field.</summary>
    public void NoOtherKeys(params string[] known)
    {
        foreach (var (key, _) in _node.Children)
        {
            var text = ((YamlScalarNode)key).Value ?? string.Empty;
            if (!_read.Contains(text))
            {
                var allowed = known.Length > 0 ? known : [.. _read];
                throw ErrorAt(key, text, $"is not a known field here: use one of {string.Join(", ", allowed.Order())}");
            }
        }
    }

    private YamlNode? Take(string key)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    private string Join(string field) => Path.Length == 0 ? field : $"{Path}.{field}";
}
