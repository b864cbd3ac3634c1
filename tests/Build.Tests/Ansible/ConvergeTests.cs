using Xunit;
using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Ansible;

/// <summary>
/// The real converge of k8s-prerequisites into a debootstrapped Debian root,
/// twice; and this machine is left as it was.
/// </summary>
public sealed class ConvergeTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible");

    public void Dispose() => _repo.Dispose();

    private static Dictionary<string, string> HostState() => new()
    {
        ["ip_forward"] = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim(),
        ["swaps"] = File.ReadAllText("/proc/swaps"),
        ["modules"] = File.Exists("/proc/modules") ? File.ReadAllText("/proc/modules") : string.Empty,
        ["sysctl.d"] = string.Join(',', Directory.Exists("/etc/sysctl.d") ? Directory.GetFiles("/etc/sysctl.d").Order() : Enumerable.Empty<string>()),
        ["modules-load.d"] = string.Join(',', Directory.Exists("/etc/modules-load.d") ? Directory.GetFiles("/etc/modules-load.d").Order() : Enumerable.Empty<string>()),
        ["fstab"] = File.Exists("/etc/fstab") ? File.ReadAllText("/etc/fstab") : string.Empty,
        ["containerd.toml"] = File.Exists("/etc/containerd/config.toml") ? File.ReadAllText("/etc/containerd/config.toml") : "absent",
    };

    [SkippableFact]
    public void Converging_twice_changes_nothing_the_second_time_and_leaves_this_machine_alone()
    {
        Skip.IfNot(Environment.IsPrivilegedProcess, "the converge needs root for its chroot (CI runs as root)");
        var before = HostState();

        var outcome = new Converge(PlatformContext.Create(_repo.Root)).RoleIdempotent();

        Assert.True(outcome.Status == CheckStatus.Passed, outcome.Detail);
        Assert.Contains("then changed=0", outcome.Detail);
        Assert.Equal(before, HostState());

        var root = _repo.Path("artifacts/converge/root");
        Assert.Contains("SystemdCgroup = true", File.ReadAllText(Path.Combine(root, "etc/containerd/config.toml")));
        Assert.DoesNotContain("swap", File.ReadAllText(Path.Combine(root, "etc/fstab")));
        Assert.Equal("overlay\nbr_netfilter\n", File.ReadAllText(Path.Combine(root, "etc/modules-load.d/kubernetes.conf")));
    }

    [SkippableFact]
    public void Without_root_it_is_skipped_with_the_reason_never_passed()
    {
        Skip.If(Environment.IsPrivilegedProcess, "running as root: the converge itself is tested above");

        var outcome = new Converge(PlatformContext.Create(_repo.Root)).RoleIdempotent();

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("needs root", outcome.Detail);
    }
}
