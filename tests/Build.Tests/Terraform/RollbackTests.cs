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
    public void A_revision_from_before_the_composition_module_is_refused()
    {
        // Its plan would name every resource at the old address: a careless rollback rebuilds the environment.
        Git("init", "-q");
        Directory.Delete(_repo.Path("terraform/modules/platform"), recursive: true);
        Git("add", "-A");
        Git("-c", "user.email=test@example.com", "-c", "user.name=test", "commit", "-qm", "the layout before modules/platform");

        var row = Action("--revision=HEAD");

        Assert.Equal("Failed", row.Status);
        Assert.StartsWith("--revision=HEAD predates terraform/modules/platform", row.Detail);
        Assert.False(File.Exists(_repo.Path("artifacts/terraform/dev.rollback.tfplan")));
    }

    private void Git(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = _repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var git = System.Diagnostics.Process.Start(start)!;
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', arguments)}: {git.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void Prod_rollback_needs_confirmation_like_any_prod_change()
    {
        var result = BuildRun.Platform("--target=RollbackInfrastructure", "--env=prod", "--revision=HEAD~1", $"--working={_repo.Root}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refusing to change prod without --confirm=prod: RollbackInfrastructure would change it", result.Output);
    }
}
