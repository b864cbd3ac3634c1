using System.Text.Json.Nodes;
using Xunit;
using Platform.Build.Core.Audit;
using Platform.Build.Tests.Support;
using Platform.Build.Tests.Terraform;

namespace Platform.Build.Tests.Audit;

/// <summary>
/// The audit's SARIF: valid against the published 2.1.0 schema, and what
/// GitHub code scanning needs - rule ids, levels, security severities,
/// repository-relative files with start lines - with waivers as suppressions.
/// </summary>
[Collection("terraform")]
public sealed class SarifTests(TerraformFixture terraform, AuditSources sources) : IClassFixture<AuditSources>
{
    private static readonly string Schema = File.ReadAllText(Repo.Path(SarifSchema.File));

    private string ShippedSarif(out AuditReport report)
    {
        var model = new AuditModel(terraform, sources);
        SourceAttacks.Tenancy["MTB-002"](model); // one open finding beside the waived ones
        report = AuditEngine.Run(model.Sets(), Waivers.Parse(File.ReadAllText(Repo.Path(Waivers.File))), model.Today);
        return SarifReport.Build(report, "1.0.0", _ => new SourceLocation("audit/README.md", 1));
    }

    [Fact]
    public void The_shipped_audit_validates_against_the_published_schema()
    {
        var sarif = ShippedSarif(out _);

        Assert.Empty(SarifSchema.Problems(Schema, sarif));
    }

    [Theory]
    [InlineData("level", "fatal")]
    [InlineData("ruleIndex", "first")]
    public void A_broken_result_does_not_validate(string field, string value)
    {
        var sarif = JsonNode.Parse(ShippedSarif(out _))!;
        sarif["runs"]![0]!["results"]![0]![field] = value;

        Assert.NotEmpty(SarifSchema.Problems(Schema, sarif.ToJsonString()));
    }

    [Fact]
    public void Code_scanning_gets_rules_levels_and_lines_in_repository_files()
    {
        var sarif = JsonNode.Parse(ShippedSarif(out var report))!;
        var run = sarif["runs"]![0]!;
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        var results = run["results"]!.AsArray();

        Assert.Equal("2.1.0", sarif["version"]!.GetValue<string>());
        Assert.Equal(report.Rules.Count, rules.Count);
        Assert.All(rules, r => Assert.Matches(@"^\d+\.\d$", r!["properties"]!["security-severity"]!.GetValue<string>()));
        Assert.Equal(report.Findings.Count, results.Count);
        foreach (var result in results)
        {
            var id = result!["ruleId"]!.GetValue<string>();
            Assert.Equal(id, rules[result["ruleIndex"]!.GetValue<int>()]!["id"]!.GetValue<string>());
            Assert.Contains(result["level"]!.GetValue<string>(), new[] { "error", "warning", "note" });
            var location = result["locations"]![0]!["physicalLocation"]!;
            var file = location["artifactLocation"]!["uri"]!.GetValue<string>();
            Assert.False(Path.IsPathRooted(file), file);
            Assert.InRange(location["region"]!["startLine"]!.GetValue<int>(), 1, File.ReadAllLines(Repo.Path(file)).Length);
        }

        var suppressed = results.Where(r => r!["suppressions"] is not null).ToList();
        Assert.Equal(report.Waived.Count(), suppressed.Count);
        Assert.All(suppressed, r => Assert.Equal("accepted", r!["suppressions"]![0]!["status"]!.GetValue<string>()));
        Assert.Contains(results, r => r!["ruleId"]!.GetValue<string>() == "MTB-002" && r["suppressions"] is null);
    }
}
