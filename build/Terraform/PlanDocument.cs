using System.Text.Json;

namespace Platform.Build.Terraform;

/// <summary>One resource of a plan (or state) as <c>terraform show -json</c> describes it.</summary>
public sealed record PlannedResource(string Address, string Type, string Name, string Mode, string Action, JsonElement After)
{
    /// <summary>after_unknown: the attributes known only after apply (a new key's ARN, say).</summary>
    public JsonElement Unknown { get; init; }

    /// <summary>True when the attribute will have a value: known now, or computed at apply.</summary>
    public bool WillBeSet(string attribute) =>
        Property(attribute) is not null
        || (Unknown.ValueKind == JsonValueKind.Object && Unknown.TryGetProperty(attribute, out var unknown) && unknown.ValueKind == JsonValueKind.True);

    public string? ModuleAddress => Address.StartsWith("module.", StringComparison.Ordinal) ? Address[..Address.LastIndexOf(Type, StringComparison.Ordinal)].TrimEnd('.') : null;

    public string? String(string attribute) =>
        After.ValueKind == JsonValueKind.Object && After.TryGetProperty(attribute, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public JsonElement? Property(string attribute) =>
        After.ValueKind == JsonValueKind.Object && After.TryGetProperty(attribute, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>The tags Terraform will set: tags_all (with the provider's default tags) when known, else tags.</summary>
    public IReadOnlyDictionary<string, string> Tags => Map("tags_all") ?? Map("tags") ?? new Dictionary<string, string>();

    public bool HasTags => After.ValueKind == JsonValueKind.Object && (After.TryGetProperty("tags", out _) || After.TryGetProperty("tags_all", out _));

    public IReadOnlyDictionary<string, string>? Map(string attribute) =>
        Property(attribute) is { ValueKind: JsonValueKind.Object } map
            ? map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : null;

    public IEnumerable<JsonElement> Blocks(string attribute) =>
        Property(attribute) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];
}

/// <summary>
/// The JSON form of a saved plan (<c>terraform show -json PLAN</c>) or of the
/// state (<c>terraform show -json</c>): the resources it will create or has,
/// its outputs, and the configuration (variables and outputs with descriptions).
/// </summary>
public sealed class PlanDocument
{
    private PlanDocument(JsonDocument json, string source)
    {
        Json = json;
        Source = source;
        Resources = [.. ReadResources(json.RootElement)];
    }

    public JsonDocument Json { get; }

    /// <summary>Where the JSON came from (shown in findings).</summary>
    public string Source { get; }

    public IReadOnlyList<PlannedResource> Resources { get; }

    public static PlanDocument Parse(string json, string source) => new(JsonDocument.Parse(json), source);

    public static PlanDocument Load(string path, string source) => Parse(File.ReadAllText(path), source);

    public IEnumerable<PlannedResource> OfType(string type) => Resources.Where(r => r.Type == type && r.Mode == "managed");

    /// <summary>Output names of the root module (planned or applied).</summary>
    public IReadOnlyList<string> OutputNames =>
        Json.RootElement.TryGetProperty("output_changes", out var changes) ? [.. changes.EnumerateObject().Select(p => p.Name)]
        : Json.RootElement.TryGetProperty("values", out var values) && values.TryGetProperty("outputs", out var outputs) ? [.. outputs.EnumerateObject().Select(p => p.Name)]
        : [];

    /// <summary>Where an environment's modules are: the vpc, security and compute modules inside modules/platform.</summary>
    public static string ModuleAddress(string module) => module == "platform" ? "module.platform" : $"module.platform.module.{module}";

    /// <summary>The configuration of a module (variables, outputs, resources): platform, or one it calls.</summary>
    public JsonElement? ModuleConfiguration(string call) =>
        Json.RootElement.TryGetProperty("configuration", out var configuration) ? Find(configuration.GetProperty("root_module"), call) : null;

    /// <summary>Every module call in the configuration, at any depth.</summary>
    public IEnumerable<string> ModuleCalls =>
        Json.RootElement.TryGetProperty("configuration", out var configuration) ? Calls(configuration.GetProperty("root_module")) : [];

    private static JsonElement? Find(JsonElement module, string call)
    {
        if (!module.TryGetProperty("module_calls", out var calls))
        {
            return null;
        }

        return calls.TryGetProperty(call, out var found)
            ? found.GetProperty("module")
            : calls.EnumerateObject().Select(c => Find(c.Value.GetProperty("module"), call)).FirstOrDefault(m => m is not null);
    }

    private static IEnumerable<string> Calls(JsonElement module) =>
        module.TryGetProperty("module_calls", out var calls)
            ? calls.EnumerateObject().SelectMany(c => Calls(c.Value.GetProperty("module")).Prepend(c.Name))
            : [];

    private static IEnumerable<PlannedResource> ReadResources(JsonElement root)
    {
        if (root.TryGetProperty("resource_changes", out var changes))
        {
            foreach (var change in changes.EnumerateArray())
            {
                var body = change.GetProperty("change");
                var actions = string.Join('-', body.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
                yield return new PlannedResource(
                    change.GetProperty("address").GetString()!,
                    change.GetProperty("type").GetString()!,
                    change.GetProperty("name").GetString()!,
                    change.GetProperty("mode").GetString()!,
                    actions,
                    body.TryGetProperty("after", out var after) ? after : default)
                {
                    Unknown = body.TryGetProperty("after_unknown", out var unknown) ? unknown : default,
                };
            }

            yield break;
        }

        // State (terraform show -json without a plan): values.root_module and its child modules.
        if (root.TryGetProperty("values", out var values) && values.TryGetProperty("root_module", out var module))
        {
            foreach (var resource in StateResources(module))
            {
                yield return resource;
            }
        }
    }

    private static IEnumerable<PlannedResource> StateResources(JsonElement module)
    {
        if (module.TryGetProperty("resources", out var resources))
        {
            foreach (var resource in resources.EnumerateArray())
            {
                yield return new PlannedResource(
                    resource.GetProperty("address").GetString()!,
                    resource.GetProperty("type").GetString()!,
                    resource.GetProperty("name").GetString()!,
                    resource.GetProperty("mode").GetString()!,
                    "exists",
                    resource.GetProperty("values"));
            }
        }

        if (module.TryGetProperty("child_modules", out var children))
        {
            foreach (var child in children.EnumerateArray().SelectMany(StateResources))
            {
                yield return child;
            }
        }
    }
}
