using Xunit;
using Platform.Build.Core.Audit;

namespace Platform.Build.Tests.Audit;

/// <summary>Waivers: every field required and named on error with its line; expired, unknown or unused waivers fail; waived findings stay visible.</summary>
public sealed class WaiverTests
{
    private static readonly Rule Rule = new("CAP-001", "Quotas fit", Severity.High, AuditSource.Capacity, "resize");

    private static RuleSet Set(params Finding[] findings) => new("test", [Rule], () => findings);

    private static readonly Finding Dev = new("CAP-001", "dev: tenant quotas", "too big");

    private const string Valid = "waivers:\n  - rule: CAP-001\n    object: \"dev: tenant quotas\"\n    reason: dev overcommits\n    owner: platform-team\n    expires: 2027-03-31\n";

    [Fact]
    public void A_current_waiver_covers_its_finding_which_still_shows()
    {
        var report = AuditEngine.Run([Set(Dev)], Waivers.Parse(Valid), new DateOnly(2026, 12, 2));

        Assert.True(report.Clean);
        var waived = Assert.Single(report.Waived);
        Assert.Equal("platform-team", waived.Waiver!.Owner);
        Assert.Contains("1 waived: CAP-001 dev: tenant quotas (waived until 2027-03-31", Platform.Build.Audit.AuditChecks.Verdict(report).Detail);
    }

    [Fact]
    public void An_expired_waiver_fails_the_run_naming_its_line()
    {
        var report = AuditEngine.Run([Set(Dev)], Waivers.Parse(Valid), new DateOnly(2027, 4, 1));

        Assert.False(report.Clean);
        Assert.Contains(report.WaiverProblems, p => p.StartsWith("audit/waivers.yaml:2: the waiver of CAP-001 for dev: tenant quotas expired on 2027-03-31", StringComparison.Ordinal));
        Assert.Equal(Platform.Build.Core.Checks.CheckStatus.Failed, Platform.Build.Audit.AuditChecks.Verdict(report).Status);
    }

    [Fact]
    public void A_waiver_that_covers_nothing_or_names_no_rule_fails()
    {
        var unused = AuditEngine.Run([Set()], Waivers.Parse(Valid), new DateOnly(2026, 12, 2));
        var unknown = AuditEngine.Run([Set(Dev)], Waivers.Parse(Valid.Replace("rule: CAP-001", "rule: CAP-999", StringComparison.Ordinal)), new DateOnly(2026, 12, 2));

        Assert.Contains(unused.WaiverProblems, p => p.Contains("covers no finding: remove it", StringComparison.Ordinal));
        Assert.Contains(unknown.WaiverProblems, p => p.Contains("field 'rule' is CAP-999, which is no audit rule", StringComparison.Ordinal));
        Assert.Single(unknown.Open);
    }

    [Fact]
    public void A_trailing_star_covers_every_object_it_starts_and_nothing_else()
    {
        var waivers = Waivers.Parse(Valid.Replace("object: \"dev: tenant quotas\"", "object: \"dev: *\"", StringComparison.Ordinal));
        var report = AuditEngine.Run([Set(Dev, Dev with { Object = "prod: tenant quotas" })], waivers, new DateOnly(2026, 12, 2));

        Assert.Equal("dev: tenant quotas", Assert.Single(report.Waived).Finding.Object);
        Assert.Equal("prod: tenant quotas", Assert.Single(report.Open).Finding.Object);
    }

    [Theory]
    [InlineData("    owner: platform-team\n", "", "audit/waivers.yaml:2: field 'owner' is missing or empty")]
    [InlineData("expires: 2027-03-31", "expires: next spring", "audit/waivers.yaml:2: field 'expires' is 'next spring', not a date: write it as YYYY-MM-DD")]
    [InlineData("    reason: dev overcommits\n", "    reason: dev overcommits\n    approver: ci\n", "audit/waivers.yaml:5: field 'approver' is not a waiver field")]
    [InlineData("waivers:\n", "waiver:\n", "audit/waivers.yaml:1: field 'waivers' is missing")]
    [InlineData("  - rule: CAP-001", "  - rule: [CAP-001", "audit/waivers.yaml:")]
    public void Bad_waiver_input_is_one_line_naming_the_file_line_and_field(string from, string to, string expected)
    {
        var error = Assert.Throws<WaiverException>(() => Waivers.Parse(Valid.Replace(from, to, StringComparison.Ordinal)));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_rule_set_that_reports_a_rule_it_does_not_declare_is_a_bug_not_a_finding() =>
        Assert.Throws<InvalidOperationException>(() => AuditEngine.Run([Set(Dev with { RuleId = "CAP-404" })], [], new DateOnly(2026, 12, 2)));
}
