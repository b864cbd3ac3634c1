using System.Text.Json;
using Xunit;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

[Collection("terraform")]
public sealed class TerraformDocsTests(TerraformFixture fixture)
{
    [Fact]
    public void Types_are_read_from_the_variable_blocks()
    {
        var source = File.ReadAllText(Repo.Path("terraform/modules/security/variables.tf"));

        Assert.Equal("list(string)", TerraformDocs.TypeOf(source, "admin_api_cidrs"));
        Assert.Equal("object({ from = number to = number })", TerraformDocs.TypeOf(source, "node_port_range"));
        Assert.Equal("any", TerraformDocs.TypeOf(source, "no_such_variable"));
    }

    [Theory]
    [InlineData("vpc")]
    [InlineData("compute")]
    [InlineData("security")]
    public void Module_readmes_in_the_repository_are_current(string module)
    {
        var configuration = fixture.Plan("dev").ModuleConfiguration(module)!.Value;
        var tables = TerraformDocs.Render(configuration, File.ReadAllText(Repo.Path($"terraform/modules/{module}/variables.tf")));
        var readme = File.ReadAllText(Repo.Path($"terraform/modules/{module}/README.md"));

        Assert.Equal(TerraformDocs.Embed(readme, tables, module), readme);
        Assert.Empty(TerraformDocs.Undescribed(configuration));
    }

    [Fact]
    public void Required_inputs_and_defaults_are_shown()
    {
        var configuration = fixture.Plan("dev").ModuleConfiguration("vpc")!.Value;
        var tables = TerraformDocs.Render(configuration, File.ReadAllText(Repo.Path("terraform/modules/vpc/variables.tf")));

        Assert.Contains("| `vpc_cidr` | IPv4 CIDR block of the VPC", tables);
        Assert.Matches(@"\| `vpc_cidr` \|[^\n]*\| `string` \| n/a \| yes \|", tables);
        Assert.Matches(@"\| `single_nat_gateway` \|[^\n]*\| `bool` \| `false` \| no \|", tables);
        Assert.Contains("| `vpc_id` | ID of the VPC. |", tables);
    }

    [Fact]
    public void A_readme_without_markers_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TerraformDocs.Embed("# no markers", "x", "terraform/modules/vpc/README.md"));
        Assert.Contains("terraform/modules/vpc/README.md has no", error.Message);
    }

    [Fact]
    public void Diagnostics_become_one_line_each()
    {
        var lines = new[]
        {
            "{\"@level\":\"info\",\"type\":\"version\"}",
            JsonSerializer.Serialize(new
            {
                type = "diagnostic",
                diagnostic = new
                {
                    severity = "error",
                    summary = "No value for required variable",
                    detail = "The root module input variable \"ami_id\" is not set, and has no default value.\n\nUse a -var option.",
                    range = new { filename = "variables.tf", start = new { line = 86 } },
                    snippet = new { code = "variable \"ami_id\" {" },
                },
            }),
        };

        var errors = TerraformDiagnostics.Errors(lines, "/w/environments/dev", p => p.Replace("/w/", "terraform/", StringComparison.Ordinal));

        Assert.Equal(["terraform/environments/dev/variables.tf:86: variable ami_id: No value for required variable: The root module input variable \"ami_id\" is not set, and has no default value."], errors);
    }

    [Fact]
    public void The_offline_checks_never_write_into_the_source_tree()
    {
        var sources = fixture.Repo.Path("terraform");

        Assert.Empty(Directory.EnumerateDirectories(sources, ".terraform", SearchOption.AllDirectories));
        // The environments' committed locks stay as committed; no check writes one anywhere else.
        var locks = Directory.EnumerateFiles(sources, ".terraform.lock.hcl", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(fixture.Repo.Root, f)).Order().ToList();
        Assert.Equal(["terraform/bootstrap/.terraform.lock.hcl", "terraform/environments/dev/.terraform.lock.hcl", "terraform/environments/prod/.terraform.lock.hcl"], locks);
        Assert.All(locks, l => Assert.Equal(File.ReadAllText(Repo.Path(l)), File.ReadAllText(fixture.Repo.Path(l))));
        Assert.Empty(Directory.EnumerateFiles(sources, "*_override.tf", SearchOption.AllDirectories));
    }
}
