using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Operations;

/// <summary>
/// The day-2 targets through the real host, with no hosts and no cluster: prod is
/// refused without confirmation before anything runs, a target's own bad input is
/// refused, and offline each does its checks and says why its playbook did not run.
/// </summary>
public sealed class DayTwoTargetTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible", "kubernetes", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    [Theory]
    [InlineData("UpgradeCluster", "--to=1.33.2")]
    [InlineData("RemoveNode", "--node=platform-prod-worker-i-0abc")]
    [InlineData("RenewCertificates", null)]
    [InlineData("RollbackCluster", null)]
    public void A_day_two_change_to_prod_without_confirmation_is_refused_before_anything_runs(string target, string? option)
    {
        var result = BuildRun.Platform([$"--working={_repo.Root}", $"--target={target}", "--env=prod", .. option is null ? Array.Empty<string>() : [option]]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"refusing to change prod without --confirm=prod: {target} would change it", result.Output);
        Assert.False(Directory.Exists(_repo.Path("artifacts/logs")), "no task may have run");
    }

    [Fact]
    public void An_upgrade_that_skips_a_minor_is_refused_and_nothing_is_asked_of_a_host()
    {
        var result = BuildRun.Platform($"--working={_repo.Root}", "--target=UpgradeCluster", "--exclusive", "--to=1.34.0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--to=1.34.0: 1.32.4 to 1.34.0 skips a minor version", result.Output);
        Assert.DoesNotContain("ansible-playbook", result.Output);
    }

    [Fact]
    public void Without_hosts_the_removal_checks_its_playbooks_and_says_why_it_did_not_run()
    {
        var result = BuildRun.Platform($"--working={_repo.Root}", "--target=RemoveNode", "--node=platform-dev-worker-i-0abc");

        var action = ReportFile.Row(_repo.Root, "RemoveNode", "Action: drain and remove --node from the cluster of --env (playbooks/remove-node.yml)");
        Assert.Equal("Skipped", action.Status);
        Assert.Contains("needs the hosts of dev", action.Detail);
        Assert.Equal("Passed", ReportFile.Row(_repo.Root, "RemoveNode", "Day-2 playbooks lint clean and pass the syntax check").Status);
        Assert.Equal(0, result.ExitCode);
    }
}
