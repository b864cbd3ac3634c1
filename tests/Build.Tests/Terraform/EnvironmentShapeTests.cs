using System.Text.Json.Nodes;
using Xunit;
using Platform.Build.Terraform;

namespace Platform.Build.Tests.Terraform;

/// <summary>
/// "Environments differ only in their profile": an environment that does
/// anything of its own besides its profile is found, from the plan's
/// configuration (the dev plan, changed the way a careless edit would).
/// </summary>
[Collection("terraform")]
public sealed class EnvironmentShapeTests(TerraformFixture fixture)
{
    private IReadOnlyList<string> Shape(Action<JsonNode> change)
    {
        var json = JsonNode.Parse(fixture.Plans["dev"])!;
        change(json["configuration"]!["root_module"]!);
        return [.. TerraformChecks.EnvironmentShape(PlanDocument.Parse(json.ToJsonString(), "mutated dev plan"))];
    }

    private static JsonNode Platform(JsonNode root) => root["module_calls"]!["platform"]!;

    [Fact]
    public void Both_environments_are_a_profile_and_one_module_call() =>
        Assert.All(new[] { "dev", "prod" }, e => Assert.Empty(TerraformChecks.EnvironmentShape(fixture.Plan(e))));

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void An_environment_main_tf_is_short_enough_to_read_at_a_glance(string environment)
    {
        // Its provider, its profile and one module call: under 40 lines (issue 12).
        var lines = File.ReadAllLines(fixture.Repo.Path($"terraform/environments/{environment}/main.tf"));
        Assert.True(lines.Length < 40, $"terraform/environments/{environment}/main.tf has {lines.Length} lines");
        Assert.Single(lines, l => l.StartsWith("module ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resource_declared_in_the_environment_is_found() =>
        Assert.Contains(Shape(r => r["resources"] = new JsonArray(new JsonObject { ["address"] = "aws_s3_bucket.scratch" })),
            f => f.Contains("declares aws_s3_bucket.scratch", StringComparison.Ordinal));

    [Fact]
    public void A_second_module_call_is_found() =>
        Assert.Contains(Shape(r => r["module_calls"]!["extra_vpc"] = new JsonObject { ["source"] = "../../modules/vpc" }),
            f => f.Contains("calls modules/platform once", StringComparison.Ordinal));

    [Fact]
    public void A_value_written_in_the_call_instead_of_the_profile_is_found() =>
        Assert.Contains(Shape(r => Platform(r)["expressions"]!["vpc_cidr"] = new JsonObject { ["constant_value"] = "10.99.0.0/16" }),
            f => f.Contains("module.platform.vpc_cidr is not var.vpc_cidr", StringComparison.Ordinal));

    [Fact]
    public void A_variable_passed_under_another_name_is_found() =>
        Assert.Contains(Shape(r => Platform(r)["expressions"]!["ssh_user"] = new JsonObject { ["references"] = new JsonArray("var.ami_id") }),
            f => f.Contains("module.platform.ssh_user is not var.ssh_user", StringComparison.Ordinal));

    [Fact]
    public void A_default_of_the_environments_own_is_found() =>
        // prod quietly opening SSH to the world through a default the module never sees
        Assert.Contains(Shape(r => r["variables"]!["ssh_allowed_cidrs"]!["default"] = new JsonArray("0.0.0.0/0")),
            f => f.Contains("variable ssh_allowed_cidrs has a default of its own", StringComparison.Ordinal));

    [Fact]
    public void An_output_computed_in_the_environment_is_found() =>
        Assert.Contains(Shape(r => r["outputs"]!["vpc_cidr"]!["expression"] = new JsonObject { ["references"] = new JsonArray("var.vpc_cidr") }),
            f => f.Contains("output vpc_cidr is not module.platform.vpc_cidr", StringComparison.Ordinal));

    private IReadOnlyList<string> Text(string find, string replace)
    {
        var text = File.ReadAllText(fixture.Repo.Path("terraform/environments/prod/main.tf"));
        Assert.Contains(find, text);
        return [.. TerraformChecks.EnvironmentText(text.Replace(find, replace, StringComparison.Ordinal))];
    }

    [Fact]
    public void The_shipped_main_tf_files_are_a_standard_provider_and_pass_throughs() =>
        Assert.All(new[] { "dev", "prod" }, e => Assert.Empty(TerraformChecks.EnvironmentText(File.ReadAllText(fixture.Repo.Path($"terraform/environments/{e}/main.tf")))));

    [Theory]
    [InlineData("  tags                  = var.tags", "  tags                  = merge(var.tags, { Owner = \"x\" })", "module.platform has 'tags")]
    [InlineData("  ssh_allowed_cidrs     = var.ssh_allowed_cidrs", "  ssh_allowed_cidrs     = concat(var.ssh_allowed_cidrs, [\"0.0.0.0/0\"])", "module.platform has 'ssh_allowed_cidrs")]
    [InlineData("  region              = var.region", "  region              = \"us-east-1\"", "the provider is not the standard one")]
    [InlineData("  default_tags { tags = module.platform.tags }", "  default_tags { tags = {} }", "the provider is not the standard one")]
    public void A_call_or_provider_changed_by_hand_is_found(string find, string replace, string expected) =>
        Assert.Contains(Text(find, replace), f => f.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void A_variable_the_environment_declares_but_never_passes_is_found() =>
        Assert.Contains(Shape(r => Platform(r)["expressions"]!.AsObject().Remove("ingress_allowed_cidrs")),
            f => f.Contains("variable ingress_allowed_cidrs is not passed", StringComparison.Ordinal));
}
