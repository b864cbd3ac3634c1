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
    public async Task A_snapshot_that_does_not_match_its_checksum_is_refused_by_the_script()
    {
        SkipWithoutEtcd();
        // The checksum beside the snapshot is wrong, the snapshot itself is sound (etcd would take it): only the script's check stops it.
        var script = _repo.Read(EtcdDrill.BackupScript);
        _repo.Write("ansible/roles/etcd-backup/files/real-backup.sh", script);
        _repo.Write(EtcdDrill.BackupScript,
            "#!/usr/bin/env bash\nset -euo pipefail\nout=\"$(bash \"$(dirname \"$0\")/real-backup.sh\")\"\nlast=\"$(printf '%s\\n' \"$out\" | tail -n 1)\"\nprintf '%064d  %s\\n' 0 \"$(basename \"$last\")\" >\"$last.sha256\"\necho \"$last\"\n");

        var outcome = await Drill();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("checksum mismatch", outcome.Detail);
    }

    [SkippableFact]
    public async Task A_restore_that_ignores_the_members_name_and_list_makes_no_cluster()
    {
        SkipWithoutEtcd();
        // Every member restored as etcd's default one-member cluster: three strangers, not one cluster.
        _repo.Write(EtcdDrill.RestoreScript, "#!/usr/bin/env bash\nset -euo pipefail\nETCDCTL_API=3 etcdctl snapshot restore \"$1\" --data-dir \"$2\" >/dev/null\necho \"$2\"\n");

        var outcome = await Drill();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("drill-", outcome.Detail);
    }

    [SkippableFact]
    public async Task The_operators_bucket_and_etcd_settings_do_not_reach_the_drill()
    {
        SkipWithoutEtcd();
        var fake = _repo.Path("fake-aws");
        File.WriteAllText(fake, $"#!/bin/sh\necho \"$@\" >> {_repo.Path("aws.calls")}\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var operator_ = new EnvironmentScope().Set("ETCD_BACKUP_BUCKET", "prod-real-bucket").Set("ETCD_BACKUP_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/x")
            .Set("AWS", fake).Set("ETCD_LISTEN_METRICS_URLS", "http://0.0.0.0:23811");

        var outcome = await Drill();

        Assert.True(outcome.Status == CheckStatus.Passed, outcome.Detail);
        Assert.False(File.Exists(_repo.Path("aws.calls")), "the drill uploaded to the operator's bucket");
    }
}
