using System.Text.Json;
using Json.Schema;

namespace Platform.Build.Core.Audit;

/// <summary>
/// Validates SARIF against the published SARIF 2.1.0 schema
/// (audit/schema/sarif-2.1.0.json, from npm's @microsoft/sarif-multitool-linux 5.7.0).
/// </summary>
public static class SarifSchema
{
    public const string File = "audit/schema/sarif-2.1.0.json";

    /// <summary>The schema's complaints about <paramref name="sarif"/> (instance path and message), none when it validates.</summary>
    public static IReadOnlyList<string> Problems(string schemaText, string sarif)
    {
        var schema = JsonSchema.FromText(schemaText);
        using var document = JsonDocument.Parse(sarif);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(5)];
    }
}
