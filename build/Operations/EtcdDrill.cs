using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Operations;

/// <summary>
/// The disaster-recovery drill, for real on this machine: Debian's etcd on
/// loopback in a scratch folder, known keys written, a snapshot taken by the
/// etcd-backup role's own script (the one the systemd timer runs on the control
/// planes), the server lost, the snapshot restored by the role's restore script
/// (the one etcd-restore.yml runs), etcd started from it, every key verified and
/// the recovery time measured. Writes after the snapshot must be gone: the
/// restore point is the snapshot, not whatever the disk held.
/// </summary>
public static class EtcdDrill
{
    public const string BackupScript = "ansible/roles/etcd-backup/files/etcd-backup.sh";
    public const string RestoreScript = "ansible/roles/etcd-backup/files/etcd-restore.sh";

    /// <summary>The recovery-time objective RUNBOOK.md gives for the etcd restore.</summary>
    public static readonly TimeSpan Objective = TimeSpan.FromMinutes(30);

    private const int Keys = 64;
    private const int Members = 3;
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(30);

    public static async Task<Outcome> Run(BuildContext context)
    {
        if (!EtcdServer.LoopbackUsable())
        {
            return Outcome.Skip("127.0.0.1 cannot be reached (the loopback interface is down, as in a network namespace of its own): the drill's etcd listens only there");
        }

        foreach (var script in new[] { BackupScript, RestoreScript })
        {
            if (!File.Exists(context.Paths.Combine(script)))
            {
                return Outcome.Fail($"{script} is missing: the drill runs the role's own scripts");
            }
        }

        var scratch = Path.Combine(context.Paths.Artifacts, "drill");
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        Directory.CreateDirectory(scratch);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var log = Path.Combine(scratch, "etcd.log");
        try
        {
            var outcome = await Drill(context, scratch, log).ConfigureAwait(false);
            if (outcome.Status == CheckStatus.Passed)
            {
                // The snapshot holds nothing secret here, but the folder is scratch: gone when it passed.
                Directory.Delete(scratch, recursive: true);
            }

            return outcome;
        }
        catch (ToolNotFoundException e)
        {
            return Outcome.Fail($"{e.Tool} not found: install Debian's etcd-server and etcd-client (./build.sh --install-tools as root)");
        }
    }

    private static async Task<Outcome> Drill(BuildContext context, string scratch, string log)
    {
        var kept = Enumerable.Range(0, Keys).ToDictionary(i => $"/drill/registry/key-{i:D3}", i => $"value-{i}-{Guid.NewGuid():N}");
        kept["/drill/registry/large"] = new string('x', 256 * 1024);
        var later = new Dictionary<string, string> { ["/drill/registry/after-snapshot"] = "must not survive the restore" };

        string snapshot;
        using (var original = EtcdServer.Start("drill", Path.Combine(scratch, "original"), log))
        {
            if (!await original.WaitHealthyAsync(Start).ConfigureAwait(false))
            {
                return Outcome.Fail($"etcd did not become healthy within {Start.TotalSeconds:0} s: see {context.Paths.Relative(log)}");
            }

            await original.PutAsync(kept).ConfigureAwait(false);
            var backup = Isolated(context, "bash", [context.Paths.Combine(BackupScript)], new()
            {
                ["ETCDCTL_API"] = "3",
                ["ETCDCTL_ENDPOINTS"] = original.ClientUrl,
                ["ETCD_BACKUP_DIR"] = Path.Combine(scratch, "backups"),
                ["ETCD_BACKUP_KEEP"] = "3",

                // Never the operator's bucket: the drill uploads nothing.
                ["ETCD_BACKUP_BUCKET"] = string.Empty,
                ["ETCD_BACKUP_PREFIX"] = string.Empty,
                ["ETCD_BACKUP_KMS_KEY_ARN"] = string.Empty,
            });
            if (!backup.Succeeded)
            {
                return Outcome.Fail($"{BackupScript} failed: {backup.Tail(4)}");
            }

            snapshot = backup.Output.LastOrDefault(l => l.Length > 0)?.Trim() ?? string.Empty;
            if (!File.Exists(snapshot) || !File.Exists(snapshot + ".sha256"))
            {
                return Outcome.Fail($"{BackupScript} did not print a snapshot with its .sha256 as its last line (printed '{snapshot}')");
            }

            await original.PutAsync(later).ConfigureAwait(false);

            // The disaster: the server and its data are gone.
            original.Stop();
            Directory.Delete(original.DataDir, recursive: true);
        }

        // As etcd-restore.yml does on the control planes: every member restored from the one
        // snapshot, each with its own name and peer URL, one member list and one new token.
        var clock = Stopwatch.StartNew();
        var members = Enumerable.Range(1, Members)
            .Select(i => (Name: $"drill-{i}", Dir: Path.Combine(scratch, $"restored-{i}"), Peer: $"http://127.0.0.1:{EtcdServer.FreeLoopbackPort()}"))
            .ToList();
        var initialCluster = string.Join(',', members.Select(m => EtcdServer.InitialCluster(m.Name, m.Peer)));
        var token = $"drill-restore-{Guid.NewGuid():N}";
        foreach (var member in members)
        {
            var restore = Isolated(context, "bash", [context.Paths.Combine(RestoreScript), snapshot, member.Dir, member.Name, initialCluster, member.Peer],
                new() { ["ETCDCTL_API"] = "3", ["ETCD_RESTORE_CLUSTER_TOKEN"] = token });
            if (!restore.Succeeded)
            {
                return Outcome.Fail($"{RestoreScript} failed for {member.Name}: {restore.Tail(4)}");
            }
        }

        var restoreTime = clock.Elapsed;
        var servers = new List<EtcdServer>();
        try
        {
            servers.AddRange(members.Select(m => EtcdServer.Start(m.Name, m.Dir, log, m.Peer, initialCluster)));
            foreach (var server in servers)
            {
                if (!await server.WaitHealthyAsync(Start).ConfigureAwait(false))
                {
                    return Outcome.Fail($"{server.Name} did not become healthy from its restored data dir within {Start.TotalSeconds:0} s (no quorum: the members do not form one cluster): see {context.Paths.Relative(log)}");
                }
            }

            // A linearizable read through another member than the first: it needs the cluster's quorum.
            var read = Isolated(context, "etcdctl", [$"--endpoints={servers[^1].ClientUrl}", "get", "/drill/", "--prefix", "--write-out=json"], new() { ["ETCDCTL_API"] = "3" });
            var recovered = clock.Elapsed;
            var list = Isolated(context, "etcdctl", [$"--endpoints={servers[0].ClientUrl}", "member", "list", "--write-out=json"], new() { ["ETCDCTL_API"] = "3" });
            if (!read.Succeeded || !list.Succeeded)
            {
                return Outcome.Fail($"etcdctl on the restored cluster failed: {(read.Succeeded ? list : read).Tail(3)}");
            }

            var found = Values(read.Text);
            var findings = kept.Where(p => !found.TryGetValue(p.Key, out var v) || v != p.Value).Select(p => $"{p.Key}: {(found.ContainsKey(p.Key) ? "value differs" : "missing")} after the restore").ToList();
            findings.AddRange(later.Keys.Where(found.ContainsKey).Select(k => $"{k} was written after the snapshot but survived the restore: the restore did not come from the snapshot"));
            var listed = MemberList(list.Text);
            var expected = members.Select(m => $"{m.Name}={m.Peer}").Order(StringComparer.Ordinal).ToList();
            if (!listed.SequenceEqual(expected))
            {
                findings.Add($"the restored members are [{string.Join(", ", listed)}], not [{string.Join(", ", expected)}]: the restore script does not give each member its name, peer URL and the one member list");
            }

            if (recovered > Objective)
            {
                findings.Add($"recovery took {recovered.TotalSeconds:0} s, over the {Objective.TotalMinutes:0}-minute objective");
            }

            var size = new FileInfo(snapshot).Length;
            return Outcome.FromFindings(findings, string.Create(CultureInfo.InvariantCulture,
                $"{kept.Count} keys restored and verified from a {size / 1024} KiB snapshot (sha256 checked) into {Members} members forming one cluster, the write after it gone; recovery {recovered.TotalSeconds:0.00} s (restore {restoreTime.TotalSeconds:0.00} s, start and read {(recovered - restoreTime).TotalSeconds:0.00} s; objective {Objective.TotalMinutes:0} min); etcd {Version(context)} on loopback"));
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs a drill command with only the variables the drill gives it: the caller's
    /// ETCD*, ETCDCTL* and AWS* variables are unset (no operator's endpoint, certificate or bucket).
    /// </summary>
    private static ToolResult Isolated(BuildContext context, string command, string[] arguments, Dictionary<string, string> environment)
    {
        var settings = new PlatformToolSettings { ToolTimeout = TimeSpan.FromSeconds(60), WorkingDirectory = context.Paths.Root };
        foreach (var (name, value) in environment)
        {
            settings.EnvironmentVariables[name] = value;
        }

        var unset = Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(n => (n.StartsWith("ETCD", StringComparison.Ordinal) || n.StartsWith("AWS", StringComparison.Ordinal)) && !environment.ContainsKey(n))
            .Order(StringComparer.Ordinal)
            .SelectMany(n => new[] { "-u", n });
        return context.RunCommand("env", settings, [.. unset, command, .. arguments]);
    }

    /// <summary>NAME=PEER_URL of every member, sorted.</summary>
    private static List<string> MemberList(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("members").EnumerateArray()
            .Select(m => $"{(m.TryGetProperty("name", out var n) ? n.GetString() : "?")}={string.Join('|', m.TryGetProperty("peerURLs", out var p) ? p.EnumerateArray().Select(u => u.GetString()) : [])}")
            .Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, string> Values(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                values[Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!))] =
                    Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("value").GetString()!));
            }
        }

        return values;
    }

    private static string Version(BuildContext context)
    {
        try
        {
            var result = context.RunCommand("etcd", "--version");
            return result.Output.FirstOrDefault(l => l.StartsWith("etcd Version:", StringComparison.Ordinal))?["etcd Version:".Length..].Trim() ?? "(unknown version)";
        }
        catch (ToolNotFoundException)
        {
            return "(not found)";
        }
    }
}
