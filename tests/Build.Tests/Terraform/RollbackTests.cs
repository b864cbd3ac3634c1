using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>The seed's rollback target refuses to guess: it needs a revision that exists.</summary>
public sealed class RollbackTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws()
        .Set("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE").Set("AWS_SECRET_ACCESS_KEY", "example-secret");

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private ReportRow Action(params string[] arguments)
    {
        var result = BuildRun.Platform(["--target=RollbackInfrastructure", $"--working={_repo.Root}", .. arguments]);
        Assert.Equal(1, result.ExitCode);
        return ReportFile.Rows(_repo.Root).Single(r => r.Task == "RollbackInfrastructure" && r.Kind == "Action");
    }

    [Fact]
    public void Without_a_revision_it_says_which_option_it_needs()
    {
        var row = Action();

        Assert.Equal("Failed", row.Status);
        Assert.StartsWith("RollbackInfrastructure needs --revision=GIT-REV", row.Detail);
    }

    [Fact]
    public void An_unknown_revision_is_refused_before_anything_runs()
    {
        var row = Action("--revision=no-such-commit");

        Assert.Equal("Failed", row.Status);
        Assert.Equal("--revision=no-such-commit is not a commit of this repository: see git log terraform/", row.Detail);
        Assert.False(Directory.Exists(_repo.Path("artifacts/terraform/rollback")));
    }

    [Fact]
    public void Prod_rollback_needs_confirmation_like_any_prod_change()
    {
        var result = BuildRun.Platform("--target=RollbackInfrastructure", "--env=prod", "--revision=HEAD~1", $"--working={_repo.Root}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refusing to change prod without --confirm=prod: RollbackInfrastructure would change it", result.Output);
    }
}
