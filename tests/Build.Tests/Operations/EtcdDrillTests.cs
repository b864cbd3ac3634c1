using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Operations;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Operations;

/// <summary>
/// The disaster-recovery drill against a real etcd on loopback: the shipped
/// backup and restore scripts pass it, and scripts that only look right (a
/// snapshot never written, a restore that starts an empty member, a restore
/// from the wrong file) fail it.
/// </summary>
public sealed class EtcdDrillTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible/roles/etcd-backup", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private async Task<Outcome> Drill() => await EtcdDrill.Run(PlatformContext.Create(_repo.Root));

    private static void SkipWithoutEtcd() =>
        Skip.IfNot(new[] { "etcd", "etcdctl" }.All(t => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, t)))),
            "etcd and etcdctl are not installed (apt-get install etcd-server etcd-client; .ci/run installs them)");

    [SkippableFact]
    public async Task The_role_scripts_restore_every_key_and_lose_the_later_write()
    {
        SkipWithoutEtcd();

        var outcome = await Drill();

        Assert.True(outcome.Status == CheckStatus.Passed, outcome.Detail);
        Assert.Contains("65 keys restored and verified", outcome.Detail);
        Assert.Contains("the write after it gone", outcome.Detail);
        Assert.False(Directory.Exists(_repo.Path("artifacts/drill")), "a passed drill leaves no scratch data behind");
    }

    [SkippableFact]
    public async Task A_backup_that_prints_a_path_but_writes_nothing_fails()
    {
        SkipWithoutEtcd();
        _repo.Write(EtcdDrill.BackupScript, "#!/usr/bin/env bash\necho \"$ETCD_BACKUP_DIR/etcd-20260101T000000Z.db\"\n");

        var outcome = await Drill();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("did not print a snapshot with its .sha256", outcome.Detail);
    }

    [SkippableFact]
    public async Task A_restore_that_starts_an_empty_member_fails_on_the_keys()
    {
        SkipWithoutEtcd();
        _repo.Write(EtcdDrill.RestoreScript, "#!/usr/bin/env bash\nmkdir -p \"$2\"\necho \"$2\"\n");

        var outcome = await Drill();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("/drill/registry/key-000: missing after the restore", outcome.Detail);
    }

    [SkippableFact]
    public async Task A_snapshot_that_does_not_match_its_checksum_is_refused()
    {
        SkipWithoutEtcd();
        // A backup that corrupts its own snapshot after writing the checksum: the restore must refuse it.
        var script = _repo.Read(EtcdDrill.BackupScript);
        _repo.Write("ansible/roles/etcd-backup/files/real-backup.sh", script);
        _repo.Write(EtcdDrill.BackupScript,
            "#!/usr/bin/env bash\nset -euo pipefail\nout=\"$(bash \"$(dirname \"$0\")/real-backup.sh\")\"\nlast=\"$(printf '%s\\n' \"$out\" | tail -n 1)\"\nprintf 'x' >>\"$last\"\necho \"$last\"\n");

        var outcome = await Drill();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("etcd-restore.sh failed", outcome.Detail);
    }
}
