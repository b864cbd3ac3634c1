using YamlDotNet.RepresentationModel;

namespace Platform.Build.Core.Yaml;

/// <summary>Lenient reading of a parsed YAML tree for rule sets: a missing key is null, never an error.</summary>
public static class YamlPath
{
    /// <summary>The node at <paramref name="path"/> (mapping keys), or null where a key is missing or a node is not a mapping.</summary>
    public static YamlNode? At(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>The scalar value of <paramref name="key"/>, or null.</summary>
    public static string? Scalar(YamlMappingNode node, string key) => At(node, key) is YamlScalarNode s ? s.Value : null;
}
