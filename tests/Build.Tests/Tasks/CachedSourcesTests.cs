using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tasks;

/// <summary>
/// The result cache on the real sources: after a cached green Lint, a change
/// to a Terraform, an Ansible or a Kubernetes source fails the next run, and
/// only the checks that read the changed file run again.
/// </summary>
public sealed class CachedSourcesTests : IDisposable
{
    private const string VpcFmt = "`terraform fmt -check` passes";
    private const string AnsibleYamllint = "`yamllint` passes over ansible/";
    private const string KubernetesYamllint = "`yamllint` passes over kubernetes/";

    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform", "ansible", "kubernetes", ".github");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private RunResult Lint() => BuildRun.Platform("--target=Lint", $"--working={_repo.Root}");

    private (string Status, string Detail, string? Cache, bool Cached) Row(string task, string item) => ReportFile.CacheRow(_repo.Root, task, item);

    [Fact]
    public void A_change_after_a_cached_green_run_fails_the_next_run_for_Terraform_Ansible_and_Kubernetes_sources()
    {
        var first = Lint();
        Assert.True(first.ExitCode == 0, first.Output);
        var warm = Lint();
        Assert.True(warm.ExitCode == 0, warm.Output);
        Assert.True(Row("CreateVpcModule", VpcFmt).Cached);
        Assert.True(Row("InitializeAnsibleProject", AnsibleYamllint).Cached);
        Assert.True(Row("CreateArgoCdManifests", KubernetesYamllint).Cached);

        File.AppendAllText(_repo.Path("terraform/modules/vpc/main.tf"), "\nlocals {\n  unformatted=1\n}\n");
        File.AppendAllText(_repo.Path("ansible/roles/k8s-worker/tasks/main.yml"), "# trailing spaces   \n");
        File.AppendAllText(_repo.Path("kubernetes/apps/sso/base/service.yaml"), "# trailing spaces   \n");
        var broken = Lint();

        Assert.Equal(1, broken.ExitCode);
        var fmt = Row("CreateVpcModule", VpcFmt);
        Assert.Equal("Failed", fmt.Status);
        Assert.Equal("ran: file terraform/modules/vpc/main.tf changed", fmt.Cache);
        var ansible = Row("InitializeAnsibleProject", AnsibleYamllint);
        Assert.Equal("Failed", ansible.Status);
        Assert.Contains("k8s-worker/tasks/main.yml", ansible.Detail);
        Assert.Contains("file ansible/roles/k8s-worker/tasks/main.yml changed", ansible.Cache);
        var kubernetes = Row("CreateArgoCdManifests", KubernetesYamllint);
        Assert.Equal("Failed", kubernetes.Status);
        Assert.Contains("apps/sso/base/service.yaml", kubernetes.Detail);

        // What reads none of the three files is replayed (the other modules' checks); what reads kubernetes/ runs again.
        Assert.True(Row("CreateComputeModule", VpcFmt).Cached);
        Assert.True(Row("CreateComputeModule", "`user-data.sh` passes shellcheck").Cached);
        Assert.True(Row("CreateSecurityModule", VpcFmt).Cached);
        Assert.Equal("ran: file kubernetes/apps/sso/base/service.yaml changed", Row("ConfigureMonitoring", "`promtool check rules` passes").Cache);
    }
}
