using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Apps;

/// <summary>One field that differs between two renders: the object (kind/name) and its path ("spec.replicas"); "(object)" when only one side has it.</summary>
public sealed record FieldDifference(string Kind, string Name, string Path, string? Left, string? Right)
{
    public override string ToString() => Path == OverlayDiff.WholeObject
        ? $"{Kind}/{Name} is only in the {(Left is null ? "second" : "first")} render"
        : $"{Kind}/{Name} {Path}: {Shown(Left)} vs {Shown(Right)}";

    // A Secret's values compare by hash and never reach a report.
    private static string Shown(string? value) => value is null ? "(absent)" : value.StartsWith(OverlayDiff.HiddenPrefix, StringComparison.Ordinal) ? "(secret value)" : value;
}

/// <summary>
/// Compares the rendered output of two overlays field by field, after taking out
/// what always differs between environments (the namespace, the instance label,
/// the hash suffix kustomize gives generated ConfigMaps and Secrets).
/// </summary>
public static partial class OverlayDiff
{
    public const string WholeObject = "(object)";

    /// <summary>Marks a flattened Secret value: a hash to compare, never the value.</summary>
    public const string HiddenPrefix = "\u0000secret:";

    public static IReadOnlyList<FieldDifference> Compare(IReadOnlyList<Manifest> left, IReadOnlyList<Manifest> right)
    {
        var a = Flatten(left);
        var b = Flatten(right);
        var differences = new List<FieldDifference>();
        foreach (var key in a.Keys.Union(b.Keys).Order())
        {
            if (!a.TryGetValue(key, out var fa) || !b.TryGetValue(key, out var fb))
            {
                differences.Add(new FieldDifference(key.Kind, key.Name, WholeObject, a.ContainsKey(key) ? "present" : null, b.ContainsKey(key) ? "present" : null));
                continue;
            }

            foreach (var path in fa.Keys.Union(fb.Keys).Order(StringComparer.Ordinal))
            {
                var va = fa.GetValueOrDefault(path);
                var vb = fb.GetValueOrDefault(path);
                if (va != vb)
                {
                    differences.Add(new FieldDifference(key.Kind, key.Name, path, va, vb));
                }
            }
        }

        return differences;
    }

    /// <summary>The differences no <see cref="IntendedDifference"/> accounts for.</summary>
    public static IReadOnlyList<FieldDifference> Unintended(IReadOnlyList<FieldDifference> differences, IReadOnlyList<IntendedDifference> intended) =>
        [.. differences.Where(d => !intended.Any(i => i.Kind == d.Kind && i.Name == d.Name && Matches(i.Path, d.Path)))];

    /// <summary>'*' stands for one path segment; a pattern of '*' alone allows the whole object.</summary>
    public static bool Matches(string pattern, string path) =>
        pattern == "*" || Regex.IsMatch(path, "^" + string.Join("[^.]+", pattern.Split('*').Select(Regex.Escape)) + "$");

    private static Dictionary<(string Kind, string Name), Dictionary<string, string>> Flatten(IReadOnlyList<Manifest> manifests)
    {
        // Generated names (name-<10 character hash>) compare by what they were generated from.
        var generated = manifests.Where(m => m.Kind is "ConfigMap" or "Secret" && HashSuffix().IsMatch(m.Name))
            .ToDictionary(m => m.Name, m => HashSuffix().Replace(m.Name, string.Empty));
        var result = new Dictionary<(string, string), Dictionary<string, string>>();
        foreach (var manifest in manifests)
        {
            var node = JsonNode.Parse(KubernetesJson.Serialize(manifest.Object))!;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            Walk(node, string.Empty, fields, generated);
            if (manifest.Object is V1Secret)
            {
                foreach (var key in fields.Keys.Where(k => k.StartsWith("data.", StringComparison.Ordinal) || k.StartsWith("stringData.", StringComparison.Ordinal)).ToList())
                {
                    fields[key] = HiddenPrefix + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fields[key])));
                }
            }

            fields.Remove("metadata.namespace");
            fields.Remove("metadata.labels.app.kubernetes.io/instance");
            result[(manifest.Kind, generated.GetValueOrDefault(manifest.Name, manifest.Name))] = fields;
        }

        return result;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> fields, IReadOnlyDictionary<string, string> generated)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Walk(value, path.Length == 0 ? key : $"{path}.{key}", fields, generated);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}.{i}", fields, generated);
                }

                break;
            case null:
                break;
            default:
                var text = node.ToJsonString();
                var unquoted = node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : text;
                fields[path] = generated.GetValueOrDefault(unquoted, unquoted);
                break;
        }
    }

    // kustomize's hash suffix: ten characters from its alphabet, after a dash.
    [GeneratedRegex("-[bcdfghkmt2-9]{10}$")]
    private static partial Regex HashSuffix();
}
