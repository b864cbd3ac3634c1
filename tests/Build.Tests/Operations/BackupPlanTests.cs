using Xunit;
using Platform.Build.Operations;
using Platform.Build.Tenancy;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;
using Platform.Build.Tests.Terraform;

namespace Platform.Build.Tests.Operations;

/// <summary>
/// "Configure backup procedures" and the architecture diagrams, read from the real
/// offline plans: the shipped backups pass, and each weakening a careless change
/// could make to the bucket (a plan edited the way Terraform would plan it) fails.
/// </summary>
[Collection("terraform")]
public sealed class BackupPlanTests(TerraformFixture fixture)
{
    public static readonly TheoryData<string> Environments = new(TerraformSession.Environments);

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_shipped_plans_back_up_etcd(string environment) =>
        Assert.Empty(ReadinessChecks.BackupPlanned(fixture.Plan(environment)));

    [Theory]
    [InlineData("\"sse_algorithm\":\"aws:kms\"", "\"sse_algorithm\":\"AES256\"", "not encrypted with SSE-KMS")]
    [InlineData("\"status\":\"Enabled\"", "\"status\":\"Suspended\"", "not versioned")]
    [InlineData("\"block_public_policy\":true", "\"block_public_policy\":false", "public access is not blocked")]
    [InlineData("\"enable_key_rotation\":true", "\"enable_key_rotation\":false", "not rotated")]
    [InlineData("\"days\":30", "\"days\":1", "expire snapshots after 7 days or more (found 1 days)")]
    [InlineData("\"type\":\"aws_s3_bucket_policy\"", "\"type\":\"aws_s3_bucket_policy_gone\"", "has no bucket policy")]
    [InlineData("\"type\":\"aws_s3_bucket\",", "\"type\":\"aws_s3_bucket_gone\",", "0 etcd backup buckets planned")]
    public void A_weakened_bucket_fails(string find, string replace, string finding)
    {
        var json = fixture.Plans["prod"];
        Assert.Contains(find, json);

        var findings = ReadinessChecks.BackupPlanned(PlanDocument.Parse(json.Replace(find, replace, StringComparison.Ordinal), "prod plan"));

        Assert.Contains(findings, f => f.Contains(finding, StringComparison.Ordinal));
    }

    [Fact]
    public void The_readmes_diagrams_are_what_the_plans_and_the_catalog_give()
    {
        var plans = TerraformSession.Environments.Select(e => new OfflinePlan(e, fixture.Plan(e), [])).ToList();
        var context = PlatformContext.Create(Repo.Root);
        var catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        var section = ArchitectureDocs.Render(plans, ArchitectureDocs.Applications(context), catalog);

        Assert.Equal(ArchitectureDocs.Current(File.ReadAllText(Repo.Path("README.md"))), section);
        Assert.Contains("| prod | private | eu-west-1c | 10.30.48.0/20 |", section);
        Assert.Contains("prod_cp -->|etcd snapshot every 15 min| prod_backup", section);
        Assert.Contains("org-b-prod<br/>prod cluster, medium quota", section);

        // A tenant more, or a subnet changed, and the README's copy is stale.
        var grown = catalog with { Organizations = [.. catalog.Organizations, catalog.Organizations[0] with { Name = "org-c" }] };
        Assert.NotEqual(section, ArchitectureDocs.Render(plans, ArchitectureDocs.Applications(context), grown));
        var moved = plans.Select(p => p with { Plan = PlanDocument.Parse(fixture.Plans[p.Environment].Replace("10.30.48.0/20", "10.30.64.0/20", StringComparison.Ordinal), p.Environment) }).ToList();
        Assert.NotEqual(section, ArchitectureDocs.Render(moved, ArchitectureDocs.Applications(context), catalog));
    }
}
