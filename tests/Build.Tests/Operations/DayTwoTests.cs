using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Operations;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Operations;

/// <summary>The day-2 operations' own refusals, before any host is asked: the upgrade's version skew, RemoveNode's and RestoreEtcd's inputs.</summary>
public sealed class DayTwoTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    [Theory]
    [InlineData("1.32.4", "1.33.2", null)]
    [InlineData("1.32.4", "1.32.9", null)]
    [InlineData("1.32.4", "1.32.4", "the cluster is already at 1.32.4")]
    [InlineData("1.32.4", "1.31.9", "kubeadm does not downgrade")]
    [InlineData("1.32.4", "1.34.0", "skips a minor version")]
    [InlineData("1.32.4", "2.0.0", "skips a minor version")]
    public void The_skew_is_kubeadms(string current, string target, string? problem)
    {
        var found = DayTwo.SkewProblem(current, target);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found);
        }
    }

    [Fact]
    public void The_upgrade_is_checked_against_the_environments_inventory()
    {
        var prod = PlatformContext.Create(_repo.Root, null, "--env=prod", "--to=1.34.1");
        Assert.Equal("--to=1.34.1: 1.32.4 to 1.34.1 skips a minor version: kubeadm upgrades one minor at a time (first --to=1.33.x)", DayTwo.UpgradeRefusal(prod));
        Assert.Equal(CheckStatus.Failed, DayTwo.SkewAllowed(prod).Status);

        var dev = PlatformContext.Create(_repo.Root, null, "--to=1.33.2");
        Assert.Null(DayTwo.UpgradeRefusal(dev));
        Assert.Equal(CheckStatus.Passed, DayTwo.SkewAllowed(dev).Status);
        Assert.Equal("1.33.2", DayTwo.UpgradeVariables(dev)["k8s_upgrade_to"]);

        Assert.Equal("UpgradeCluster needs --to=x.y.z, the exact Kubernetes version (e.g. --to=1.33.2)", DayTwo.UpgradeRefusal(PlatformContext.Create(_repo.Root)));
    }

    [Fact]
    public void A_restore_without_the_snapshots_checksum_and_a_removal_without_a_node_are_refused()
    {
        _repo.Write("snap.db", "not a snapshot");
        Assert.Contains("has no .sha256 beside it", DayTwo.RestoreRefusal(PlatformContext.Create(_repo.Root, null, "--snapshot=snap.db")));
        _repo.Write("snap.db.sha256", "0  snap.db\n");
        Assert.Null(DayTwo.RestoreRefusal(PlatformContext.Create(_repo.Root, null, "--snapshot=snap.db")));

        Assert.StartsWith("RemoveNode needs --node=NAME", DayTwo.RemoveRefusal(PlatformContext.Create(_repo.Root)));
        Assert.Null(DayTwo.RemoveRefusal(PlatformContext.Create(_repo.Root, null, "--node=platform-dev-worker-i-0abc")));
    }
}
