using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Ansible;

/// <summary>
/// "Role idempotent" for k8s-prerequisites, for real: the role converged
/// twice into a throwaway Debian bookworm root through a chroot, the second
/// run changing nothing, and the files it writes asserted.
///
/// This machine is never changed: a chroot shares the kernel, so the role's
/// kernel and service steps are off (ansible/tests/converge.yml), and a
/// policy-rc.d in the root stops any package from starting a daemon.
/// </summary>
public sealed partial class Converge(BuildContext context)
{
    public const string Suite = "bookworm";

    private string Folder => Path.Combine(context.Paths.Artifacts, "converge");

    /// <summary>The debootstrapped base is the same for every clone: kept once per machine user.</summary>
    private string Base => Path.Combine(
        context.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(context.Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache"),
        "platform-build", $"debootstrap-{Suite}");
    private string Root => Path.Combine(Folder, "root");

    public Outcome RoleIdempotent()
    {
        if (!File.Exists(Path.Combine(context.Paths.Ansible, "tests", "converge.yml")))
        {
            return Outcome.NotImplemented("ansible/tests/converge.yml does not exist");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return Outcome.Skip("the converge runs in a chroot, which needs root: run as root (CI does)");
        }

        // The role installs containerd and the kube tools from Debian's packages: no network, no converge.
        if (Network.Unavailable() is { } offline)
        {
            return Outcome.Skip($"needs the network to install the role's packages into the test root: {offline}");
        }

        try
        {
            EnsureBase();
        }
        catch (ToolNotFoundException e)
        {
            return Outcome.Fail($"{e.Message} (apt-get install -y {e.Tool})");
        }
        catch (ToolFailedException e)
        {
            return Outcome.Fail($"could not build the {Suite} test root: {e.Message}");
        }

        Prepare();
        var first = Run();
        if (first.Failed > 0 || first.Changed < 0)
        {
            return Outcome.Fail($"first converge failed: {first.Evidence}");
        }

        var second = Run();
        if (second.Failed > 0 || second.Changed < 0)
        {
            return Outcome.Fail($"second converge failed: {second.Evidence}");
        }

        var findings = Files().ToList();
        if (second.Changed != 0)
        {
            findings.Insert(0, $"the second run changed {second.Changed} tasks: {second.Evidence}");
        }

        return Outcome.FromFindings(findings,
            $"converged twice into a Debian {Suite} root: changed={first.Changed}, then changed=0; containerd config with SystemdCgroup, sysctl.d, modules-load.d, fstab without swap");
    }

    /// <summary>debootstrap once per machine (a minute; later runs and other clones reuse it).</summary>
    private void EnsureBase()
    {
        var done = Path.Combine(Base, ".platform-complete");
        if (File.Exists(done))
        {
            return;
        }

        if (Directory.Exists(Base))
        {
            Directory.Delete(Base, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Base)!);
        var mirror = context.Environment.GetEnvironmentVariable("PLATFORM_DEBIAN_MIRROR") is { Length: > 0 } m ? m : "http://deb.debian.org/debian";
        var settings = new PlatformToolSettings { ToolTimeout = TimeSpan.FromMinutes(20) }; // its progress goes to the task log
        context.RunCommand("debootstrap", settings,
            "--variant=minbase", "--include=python3,python3-apt,systemd,systemd-sysv,ca-certificates", Suite, Base, mirror).EnsureSuccess();
        File.WriteAllText(done, DateTime.UtcNow.ToString("O"));
    }

    /// <summary>A fresh copy of the base, with no way to start daemons and a swap line for the role to remove.</summary>
    private void Prepare()
    {
        if (Directory.Exists(Root))
        {
            context.RunCommand("rm", "-rf", "--one-file-system", Root).EnsureSuccess();
        }

        Directory.CreateDirectory(Folder);
        context.RunCommand("cp", "-a", Base, Root).EnsureSuccess();
        File.WriteAllText(Path.Combine(Root, "usr/sbin/policy-rc.d"), "#!/bin/sh\n# No daemon starts in this test root.\nexit 101\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Path.Combine(Root, "usr/sbin/policy-rc.d"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        File.Copy("/etc/resolv.conf", Path.Combine(Root, "etc/resolv.conf"), overwrite: true);
        File.WriteAllText(Path.Combine(Root, "etc/fstab"), "UUID=0a1b2c3d / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n");
        File.WriteAllText(Path.Combine(Folder, "inventory.ini"), $"testroot ansible_host={Root} ansible_connection=community.general.chroot\n");
    }

    private (int Changed, int Failed, string Evidence) Run()
    {
        var settings = AnsibleChecks.Settings<AnsiblePlaybookSettings>(context);
        settings.Inventory = Path.Combine(Folder, "inventory.ini");
        settings.EnvironmentVariables["ANSIBLE_CACHE_PLUGIN"] = "memory"; // the test root's facts stay out of the fact cache
        settings.ToolTimeout = TimeSpan.FromMinutes(20);
        var result = context.AnsiblePlaybook("tests/converge.yml", settings);
        var recap = Recap().Match(result.Text);
        if (!recap.Success)
        {
            return (-1, 1, result.Tail(8));
        }

        var changedTasks = ChangedTasks(result.Output);
        var changed = int.Parse(recap.Groups["changed"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var failed = int.Parse(recap.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture) + int.Parse(recap.Groups["unreachable"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (changed, failed, failed > 0 ? result.Tail(8) : $"changed: {string.Join(", ", changedTasks)}");
    }

    /// <summary>What the role must have written into the root.</summary>
    private IEnumerable<string> Files()
    {
        string Read(string path) => File.Exists(Path.Combine(Root, path)) ? File.ReadAllText(Path.Combine(Root, path)) : string.Empty;

        var containerd = Read("etc/containerd/config.toml");
        if (!Regex.IsMatch(containerd, @"(?m)^version = [23]$") || !containerd.Contains("SystemdCgroup = true", StringComparison.Ordinal))
        {
            yield return "etc/containerd/config.toml lacks version 2/3 or SystemdCgroup = true";
        }

        var sysctl = Read("etc/sysctl.d/99-kubernetes.conf");
        foreach (var key in new[] { "net.bridge.bridge-nf-call-iptables = 1", "net.bridge.bridge-nf-call-ip6tables = 1", "net.ipv4.ip_forward = 1", "vm.overcommit_memory = 1", "kernel.panic = 10", "kernel.panic_on_oops = 1" }.Where(k => !sysctl.Contains(k, StringComparison.Ordinal)))
        {
            yield return $"etc/sysctl.d/99-kubernetes.conf lacks '{key}'";
        }

        var modules = Read("etc/modules-load.d/kubernetes.conf").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!modules.Contains("overlay") || !modules.Contains("br_netfilter"))
        {
            yield return "etc/modules-load.d/kubernetes.conf lacks overlay or br_netfilter";
        }

        if (Read("etc/fstab").Split('\n').Any(l => !l.StartsWith('#') && Regex.IsMatch(l, @"\sswap\s")))
        {
            yield return "etc/fstab still has a swap line";
        }

        if (!File.Exists(Path.Combine(Root, "etc/systemd/system/multi-user.target.wants/containerd.service")))
        {
            yield return "containerd is not enabled";
        }
    }

    [GeneratedRegex(@"testroot\s*:\s*ok=\d+\s+changed=(?<changed>\d+)\s+unreachable=(?<unreachable>\d+)\s+failed=(?<failed>\d+)")]
    private static partial Regex Recap();

    /// <summary>The names of the tasks that reported "changed" (the evidence when a run is not idempotent).</summary>
    private static List<string> ChangedTasks(IEnumerable<string> lines)
    {
        var changed = new List<string>();
        var task = string.Empty;
        foreach (var line in lines)
        {
            if (line.StartsWith("TASK [", StringComparison.Ordinal) || line.StartsWith("RUNNING HANDLER [", StringComparison.Ordinal))
            {
                task = line[(line.IndexOf('[') + 1)..line.LastIndexOf(']')];
            }
            else if (line.StartsWith("changed: [testroot]", StringComparison.Ordinal) && !changed.Contains(task))
            {
                changed.Add(task);
            }
        }

        return changed;
    }
}
