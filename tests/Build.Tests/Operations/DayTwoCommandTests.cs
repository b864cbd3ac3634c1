using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Operations;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Operations;

/// <summary>
/// The day-2 runs' rendered command lines, with ansible-playbook faked on PATH:
/// each runs its playbook through --env's inventory and outputs with exactly the
/// variables the playbook reads, and a failed run is the run's failure.
/// </summary>
public sealed class DayTwoCommandTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible");
    private readonly EnvironmentScope _env = new();
    private readonly string _bin;

    public DayTwoCommandTests()
    {
        _bin = _repo.Path("fake-bin");
        Directory.CreateDirectory(_bin);
        _env.Set("PATH", _bin + ":" + Environment.GetEnvironmentVariable("PATH"));
    }

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private const string Recap = "PLAY RECAP ***\nplatform-prod-control-plane-1 : ok=40   changed=12   unreachable=0    failed=0    skipped=2    rescued=0    ignored=0";

    private void Fake(int exit = 0)
    {
        var path = Path.Combine(_bin, "ansible-playbook");
        File.WriteAllText(path, $"#!/bin/sh\necho \"$@\" > {_repo.Path("args")}\necho \"$PLATFORM_TERRAFORM_OUTPUTS\" > {_repo.Path("outputs")}\necho '{Recap}'\nexit {exit}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string Args => File.ReadAllText(_repo.Path("args")).Trim();

    [Fact]
    public void The_upgrade_runs_its_playbook_for_envs_hosts_with_the_version_and_one_worker_at_a_time()
    {
        Fake();
        var context = PlatformContext.Create(_repo.Root, null, "--env=prod", "--confirm=prod", "--to=1.33.2");

        var outcome = DayTwo.RunUpgrade(context);

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("--inventory=" + _repo.Path("ansible/inventory/prod/terraform-inventory.py"), Args);
        Assert.Contains("--extra-vars=k8s_upgrade_to=1.33.2", Args);
        Assert.Contains("--extra-vars=k8s_upgrade_worker_batch=1", Args);
        Assert.EndsWith("playbooks/upgrade-cluster.yml", Args);
        Assert.Equal(_repo.Path("terraform/outputs/prod-terraform-outputs.json"), File.ReadAllText(_repo.Path("outputs")).Trim());
        Assert.Contains("platform-prod-control-plane-1: changed=12", outcome.Detail);
    }

    [Fact]
    public void Removal_restore_and_certificates_pass_what_their_playbooks_read()
    {
        Fake();
        _repo.Write("snap.db", "snapshot");
        _repo.Write("snap.db.sha256", "0  snap.db\n");

        DayTwo.RunRemove(PlatformContext.Create(_repo.Root, null, "--node=platform-dev-worker-i-0abc"));
        Assert.Contains("--extra-vars=node=platform-dev-worker-i-0abc", Args);
        Assert.EndsWith("playbooks/remove-node.yml", Args);

        DayTwo.RunRestore(PlatformContext.Create(_repo.Root, null, "--snapshot=snap.db"));
        Assert.Contains("--extra-vars=etcd_restore_snapshot=" + _repo.Path("snap.db"), Args);
        Assert.EndsWith("playbooks/etcd-restore.yml", Args);

        DayTwo.CertificatesValid(PlatformContext.Create(_repo.Root));
        Assert.Contains("--extra-vars=k8s_cert_renew_days=90", Args);
        Assert.EndsWith("playbooks/check-certs.yml", Args);
    }

    [Fact]
    public void A_failed_playbook_fails_and_the_cluster_rollback_stops_at_the_first_failure()
    {
        Fake(exit: 2);

        var outcome = DayTwo.RunRollbackCluster(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.StartsWith("playbooks/etcd-snapshot.yml failed", outcome.Detail);
        Assert.EndsWith("playbooks/etcd-snapshot.yml", Args); // nothing was destroyed after the snapshot failed
    }

    [Theory]
    [InlineData("upgrade-cluster.yml", "k8s_upgrade_to")]
    [InlineData("upgrade-cluster.yml", "k8s_upgrade_worker_batch")]
    [InlineData("remove-node.yml", "node")]
    [InlineData("etcd-restore.yml", "etcd_restore_snapshot")]
    [InlineData("check-certs.yml", "k8s_cert_renew_days")]
    [InlineData("renew-certs.yml", "k8s_cert_renew_days")]
    public void Each_variable_the_build_passes_is_one_the_playbook_reads(string playbook, string variable) =>
        Assert.Matches($@"\b{variable}\b", File.ReadAllText(Repo.Path($"ansible/playbooks/{playbook}")) + string.Concat(Directory.EnumerateFiles(Repo.Path("ansible/playbooks/tasks")).Select(File.ReadAllText)));
}
