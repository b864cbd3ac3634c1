using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>
/// A user's terraform.tfvars with a mistake is a one-line error naming the
/// file, the line and the variable; nothing is applied. Run on the fixture's
/// copy with the real Terraform, offline.
/// </summary>
[Collection("terraform")]
public sealed class BadInputTests(TerraformFixture fixture) : IDisposable
{
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws();
    private readonly List<string> _written = [];

    public void Dispose()
    {
        foreach (var file in _written)
        {
            File.Delete(file);
        }

        _env.Dispose();
    }

    private string UserTfvars(string environment, Func<string, string> edit)
    {
        var example = File.ReadAllText(fixture.Repo.Path($"terraform/environments/{environment}/terraform.tfvars.example"));
        var path = fixture.Repo.Path($"terraform/environments/{environment}/terraform.tfvars");
        File.WriteAllText(path, edit(example));
        _written.Add(path);
        return path;
    }

    private Outcome Check(string environment) =>
        TerraformChecks.UserTfvars(PlatformContext.Create(fixture.Repo.Root, null, $"--env={environment}"));

    [Fact]
    public void An_invalid_CIDR_names_the_file_line_and_variable()
    {
        UserTfvars("dev", t => t.Replace("vpc_cidr = \"10.20.0.0/16\"", "vpc_cidr = \"10.20.0.0/33\""));

        var outcome = Check("dev");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Matches(@"^terraform/environments/dev/terraform\.tfvars:\d+: variable vpc_cidr: Invalid value for variable: vpc_cidr must be a valid CIDR block", outcome.Detail);
        Assert.DoesNotContain('\n', outcome.Detail);
    }

    [Fact]
    public void One_zone_for_prod_is_refused()
    {
        UserTfvars("prod", t => t.Replace("availability_zones = [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]", "availability_zones = [\"eu-west-1a\"]"));

        var outcome = Check("prod");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("terraform/environments/prod/terraform.tfvars", outcome.Detail);
        Assert.Contains("variable availability_zones", outcome.Detail);
        Assert.Contains("at least 3 distinct zones in prod", outcome.Detail);
    }

    [Fact]
    public void A_missing_required_variable_is_named()
    {
        UserTfvars("dev", t => string.Join('\n', t.Split('\n').Where(l => !l.StartsWith("ami_id", StringComparison.Ordinal))));

        var outcome = Check("dev");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("No value for required variable", outcome.Detail);
        Assert.Contains("ami_id", outcome.Detail);
    }

    [Fact]
    public void Overlapping_networks_are_refused()
    {
        UserTfvars("dev", t => t.Replace("vpc_cidr = \"10.20.0.0/16\"", "vpc_cidr = \"10.244.0.0/16\""));

        var outcome = Check("dev");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("must not overlap", outcome.Detail);
    }

    [Fact]
    public void A_valid_tfvars_passes()
    {
        UserTfvars("dev", t => t);

        Assert.Equal(CheckStatus.Passed, Check("dev").Status);
    }

    [Fact]
    public void A_missing_tfvars_points_at_the_example()
    {
        var offline = Check("dev");
        Assert.Equal(CheckStatus.Skipped, offline.Status);
        Assert.Contains("copy terraform.tfvars.example", offline.Detail);

        var runner = new FakeProcessRunner();
        var live = new LiveTerraform(PlatformContext.Create(fixture.Repo.Root, runner, "--env=dev")).PlanOrApply();
        Assert.Equal(CheckStatus.Failed, live.Status);
        Assert.Equal("terraform/environments/dev/terraform.tfvars not found: copy terraform/environments/dev/terraform.tfvars.example to it and fill in the values", live.Detail);
        Assert.Empty(runner.Starts); // nothing ran, nothing applied
    }

    [Fact]
    public void No_provider_offline_says_how_to_get_one()
    {
        using var repo = TempRepo.WithTracked("specs", "terraform");
        var emptyMirror = repo.Path("empty-mirror");
        Directory.CreateDirectory(emptyMirror);
        repo.Write("cli.tfrc", $"provider_installation {{\n  filesystem_mirror {{\n    path = \"{emptyMirror}\"\n  }}\n}}\n");
        _env.Set("TF_CLI_CONFIG_FILE", repo.Path("cli.tfrc"));

        var outcome = TerraformChecks.Validate(PlatformContext.Create(repo.Root), "modules/vpc");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("terraform/modules/vpc: terraform init failed", outcome.Detail);
    }
}
