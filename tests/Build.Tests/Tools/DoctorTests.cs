using Xunit;
using Platform.Build.Tests.Support;
using Platform.Build.Tools;

namespace Platform.Build.Tests.Tools;

public sealed class DoctorTests
{
    private static ToolRequirement Requirement(string executable) =>
        ToolRequirements.For(new Version(1, 11, 4)).Single(r => r.Executable == executable);

    [Theory]
    [InlineData("terraform", "Terraform v1.11.4\non linux_amd64", "1.11.4")]
    [InlineData("kubectl", "Client Version: v1.32.4-dispatcher\nKustomize Version: v5.5.0", "1.32.4")]
    [InlineData("ansible", "ansible [core 2.14.18]\n  config file = None", "2.14.18")]
    [InlineData("ansible-lint", "ansible-lint 6.13.1 using ansible 2.14.18", "6.13.1")]
    [InlineData("yamllint", "yamllint 1.29.0", "1.29.0")]
    [InlineData("shellcheck", "ShellCheck - shell script analysis tool\nversion: 0.9.0\nlicense: GPLv3", "0.9.0")]
    [InlineData("promtool", "promtool, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5)", "2.42.0")]
    [InlineData("helm", "v3.16.2+g13654a5", "3.16.2")]
    public void Versions_are_read_from_each_tools_own_output(string executable, string output, string version)
    {
        Assert.Equal(Version.Parse(version), Requirement(executable).ParseVersion(output));
    }

    [Fact]
    public void Terraform_minimum_follows_the_pinned_version_file()
    {
        using var repo = new TempRepo(withSpec: false);
        Assert.Equal(ToolRequirements.TerraformFallback, ToolRequirements.TerraformMinimum(repo.Path("missing")));

        repo.Write(".terraform-version", "1.11.4\n");
        Assert.Equal(new Version(1, 11, 4), ToolRequirements.TerraformMinimum(repo.Path(".terraform-version")));
    }

    [Fact]
    public void Every_required_tool_says_how_to_install_it()
    {
        Assert.All(ToolRequirements.For(new Version(1, 10, 0)), r => Assert.False(string.IsNullOrWhiteSpace(r.HowToInstall)));
        Assert.Equal("apt-get install -y ansible-lint", Requirement("ansible-lint").HowToInstall);
        Assert.True(Requirement("helm").Optional);
    }

    [Fact]
    public void A_missing_tool_fails_with_its_install_command_and_an_optional_one_is_skipped()
    {
        using var repo = new TempRepo();
        using var env = EnvironmentScope.WithoutAws().Set("PATH", repo.Path("empty-bin"));
        Directory.CreateDirectory(repo.Path("empty-bin"));

        var result = BuildRun.Platform("--target=Doctor", $"--working={repo.Root}");

        Assert.Equal(1, result.ExitCode);
        var lint = ReportFile.Row(repo.Root, "Doctor", "ansible-lint installed at its minimum version");
        Assert.Equal("Failed", lint.Status);
        Assert.Equal("not found on PATH: apt-get install -y ansible-lint", lint.Detail);
        var helm = ReportFile.Row(repo.Root, "Doctor", "helm installed at its minimum version");
        Assert.Equal("Skipped", helm.Status);
        Assert.StartsWith("optional; not found on PATH", helm.Detail);
    }
}
