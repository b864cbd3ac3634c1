using Xunit;
using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Ansible;

/// <summary>Task 2.8's live Ansible runs, with ansible and ansible-playbook faked on PATH: the commands they run and how they read the recap.</summary>
public sealed class AnsibleLiveTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible");
    private readonly EnvironmentScope _env = new();
    private readonly string _bin;

    public AnsibleLiveTests()
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

    private void Fake(string tool, string output, int exit = 0)
    {
        var path = Path.Combine(_bin, tool);
        File.WriteAllText(path, $"#!/bin/sh\necho \"$@\" > {_repo.Path(tool + ".args")}\necho \"$PLATFORM_TERRAFORM_OUTPUTS\" > {_repo.Path(tool + ".outputs")}\ncat <<'OUT'\n{output}\nOUT\nexit {exit}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string Args(string tool) => File.ReadAllText(_repo.Path(tool + ".args")).Trim();

    private const string Converged = """
        PLAY RECAP *********************************************************************
        platform-dev-control-plane-1 : ok=24   changed=0    unreachable=0    failed=0    skipped=6    rescued=0    ignored=0
        platform-dev-worker-i-0a : ok=12   changed=0    unreachable=0    failed=0    skipped=3    rescued=0    ignored=0
        """;

    [Fact]
    public void Check_mode_with_nothing_to_change_passes_and_runs_read_only()
    {
        Fake("ansible-playbook", Converged);

        var outcome = AnsibleLive.CheckModeConverged(PlatformContext.Create(_repo.Root), "control_plane");

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("--check --diff", Args("ansible-playbook"));
        Assert.Contains("--limit=control_plane", Args("ansible-playbook"));
        Assert.EndsWith("playbooks/k8s-setup.yml", Args("ansible-playbook"));
    }

    [Fact]
    public void Check_mode_that_would_change_something_names_the_host()
    {
        Fake("ansible-playbook", Converged.Replace("worker-i-0a : ok=12   changed=0", "worker-i-0a : ok=12   changed=2", StringComparison.Ordinal));

        var outcome = AnsibleLive.CheckModeConverged(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("platform-dev-worker-i-0a: 2 tasks would change (not converged)", outcome.Detail);
    }

    [Fact]
    public void The_setup_run_is_not_in_check_mode_and_keeps_the_kubeconfig_folder_private()
    {
        Fake("ansible-playbook", Converged);

        var outcome = AnsibleLive.RunSetup(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.DoesNotContain("--check", Args("ansible-playbook"));
        Assert.Contains("--inventory=", Args("ansible-playbook"));
        Assert.Contains("inventory/dev/terraform-inventory.py", Args("ansible-playbook"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_repo.Path(".secrets/dev")));
        // The inventory reads --env's outputs, named by the build, not whatever the caller's environment says.
        Assert.Equal(_repo.Path("terraform/outputs/dev-terraform-outputs.json"), File.ReadAllText(_repo.Path("ansible-playbook.outputs")).Trim());
    }

    [Fact]
    public void A_failed_setup_run_fails_with_the_tail_of_the_output()
    {
        Fake("ansible-playbook", "fatal: [platform-dev-control-plane-1]: FAILED! => kubeadm init timed out", exit: 2);

        var outcome = AnsibleLive.RunSetup(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("kubeadm init timed out", outcome.Detail);
    }

    [Fact]
    public void Ping_names_the_hosts_that_do_not_answer()
    {
        Fake("ansible", """
            platform-dev-control-plane-1 | SUCCESS => {"ping": "pong"}
            platform-dev-worker-i-0a | UNREACHABLE! => {"msg": "timed out"}
            """, exit: 4);

        var outcome = AnsibleLive.Ping(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("no answer from platform-dev-worker-i-0a", outcome.Detail);
        Assert.StartsWith("all --module-name=ansible.builtin.ping", Args("ansible"));
    }
}
