using System.Diagnostics;
using Xunit;
using Platform.Build.Tests.Support;
using Platform.Build.Tools;

namespace Platform.Build.Tests.Tasks;

/// <summary>
/// "Offline" means it: the main job in a network namespace with no network at
/// all passes, and what needs the network is Skipped with the reason. The
/// routing-table test that decides it is checked on its own too.
/// </summary>
public sealed class OfflineTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform", "ansible", "kubernetes", "docs", ".github", "audit", "build", "README.md", "RUNBOOK.md", ".gitignore");

    public void Dispose() => _repo.Dispose();

    private string ProcNet(string route, string ipv6 = "")
    {
        var folder = _repo.Path("proc-net");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "route"), "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" + route);
        File.WriteAllText(Path.Combine(folder, "ipv6_route"), ipv6);
        return folder;
    }

    [Fact]
    public void A_default_route_means_a_network()
    {
        Assert.Null(Network.Unavailable(ProcNet("eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n")));
    }

    [Fact]
    public void Only_a_local_route_means_no_network()
    {
        Assert.Equal("this machine has no network (no default route)", Network.Unavailable(ProcNet("eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n")));
    }

    [Fact]
    public void An_IPv6_default_route_off_loopback_is_a_network()
    {
        var zeros = new string('0', 32);
        Assert.Null(Network.Unavailable(ProcNet(string.Empty, $"{zeros} 00 {zeros} 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth0\n")));
        Assert.NotNull(Network.Unavailable(ProcNet(string.Empty, $"{zeros} 00 {zeros} 00 {zeros} ffffffff 00000001 00000000 00200200 lo\n")));
    }

    [SkippableFact]
    public void Validate_passes_in_a_namespace_without_network_and_skips_what_needs_one()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "a network namespace needs root (CI runs as root)");
        Skip.IfNot(File.Exists("/usr/bin/unshare"), "unshare (util-linux) is not installed");

        var start = new ProcessStartInfo("/usr/bin/unshare") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _repo.Root };
        foreach (var arg in new[] { "--net", "dotnet", Path.Combine(AppContext.BaseDirectory, "Build.dll"), $"--working={_repo.Root}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("GITHUB_STEP_SUMMARY");
        foreach (var name in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var error = build.StandardError.ReadToEndAsync();
        Assert.True(build.WaitForExit(TimeSpan.FromMinutes(15)), "Validate without network did not finish in 15 minutes");

        var rows = ReportFile.Rows(_repo.Root);
        Assert.Empty(rows.Where(r => r.Status == "Failed").Select(r => $"{r.Task} '{r.Item}': {r.Detail}"));
        Assert.True(build.ExitCode == 0, $"exit {build.ExitCode}\n{output.Result}\n{error.Result}");
        var converge = Assert.Single(rows, r => r.Task == "CreatePrerequisitesRole" && r.Item == "Role idempotent");
        Assert.Equal("Skipped", converge.Status);
        Assert.Contains("needs the network to install the role's packages into the test root: this machine has no network", converge.Detail);
    }
}
