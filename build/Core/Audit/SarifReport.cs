using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Build.Core.Audit;

/// <summary>
/// The audit as SARIF 2.1.0, in the shape GitHub code scanning reads: every
/// rule with its level and security-severity, every finding with a
/// repository-relative file and a start line. A waived finding carries an
/// accepted external suppression with the waiver's reason, owner and expiry.
/// </summary>
public static class SarifReport
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>Where a finding without a better location points: the file the rule set reads.</summary>
    public static string Build(AuditReport report, string toolVersion, Func<Rule, SourceLocation> fallback)
    {
        var index = report.Rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var rules = new JsonArray([.. report.Rules.Select(RuleNode)]);
        var results = new JsonArray();
        foreach (var audited in report.Findings)
        {
            var location = audited.Finding.Location ?? fallback(audited.Rule);
            var result = new JsonObject
            {
                ["ruleId"] = audited.Rule.Id,
                ["ruleIndex"] = index[audited.Rule.Id],
                ["level"] = Level(audited.Rule.Severity),
                ["message"] = new JsonObject { ["text"] = $"{audited.Finding.Object}: {audited.Finding.Message}" },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = location.File.Replace('\\', '/'), ["uriBaseId"] = "%SRCROOT%" },
                        ["region"] = new JsonObject { ["startLine"] = Math.Max(1, location.Line) },
                    },
                }),
                // Stable across runs so code scanning tracks one alert per rule and object.
                ["partialFingerprints"] = new JsonObject { ["platformAudit/v1"] = $"{audited.Rule.Id}|{audited.Finding.Object}|{audited.Finding.Message}" },
            };
            if (audited.Waiver is { } waiver)
            {
                result["suppressions"] = new JsonArray(new JsonObject
                {
                    ["kind"] = "external",
                    ["status"] = "accepted",
                    ["justification"] = $"{waiver.Reason} (owner {waiver.Owner}, until {waiver.Expires:yyyy-MM-dd}; {waiver.Location})",
                });
            }

            results.Add(result);
        }

        var sarif = new JsonObject
        {
            ["$schema"] = Schema,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "platform-audit",
                        ["version"] = toolVersion,
                        ["informationUri"] = "https://github.com/example-org/platform/blob/main/audit/README.md",
                        ["rules"] = rules,
                    },
                },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>GitHub's security-severity scale: critical above 9, high 7-8.9, medium 4-6.9, low below 4.</summary>
    public static string SecuritySeverity(Severity severity) => (severity switch
    {
        Severity.Critical => 9.5,
        Severity.High => 8.0,
        Severity.Medium => 5.5,
        _ => 3.0,
    }).ToString("0.0", CultureInfo.InvariantCulture);

    private static JsonObject RuleNode(Rule rule) => new()
    {
        ["id"] = rule.Id,
        ["name"] = string.Concat(rule.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]).Where(w => w.All(char.IsLetterOrDigit))),
        ["shortDescription"] = new JsonObject { ["text"] = rule.Title },
        ["fullDescription"] = new JsonObject { ["text"] = $"{rule.Title} (reads {rule.Reads})" },
        ["help"] = new JsonObject { ["text"] = rule.Remediation, ["markdown"] = Help(rule) },
        ["defaultConfiguration"] = new JsonObject { ["level"] = Level(rule.Severity) },
        ["properties"] = new JsonObject
        {
            ["security-severity"] = SecuritySeverity(rule.Severity),
            ["tags"] = new JsonArray([.. new[] { "security", rule.Reads.ToString() }.Concat(rule.References).Select(t => (JsonNode)t)]),
        },
    };

    private static string Help(Rule rule) =>
        $"**Fix:** {rule.Remediation}" + (rule.References.Length == 0 ? string.Empty : $"\n\n**Same check elsewhere:** {string.Join(", ", rule.References)}");
}
