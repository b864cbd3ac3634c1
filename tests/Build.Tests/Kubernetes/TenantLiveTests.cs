using System.Text.Json;
using Platform.Build.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tests.Support;
using Xunit;

namespace Platform.Build.Tests.Kubernetes;

/// <summary>Tasks 3.3, 4.1 and 4.2 against a fake cluster: the apply, and the comparisons of what the cluster has with the repository.</summary>
public sealed class TenantLiveTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes");
    private readonly FakeApiServer _api = new();
    private readonly FakeProcessRunner _runner = new();

    public void Dispose()
    {
        _api.Dispose();
        _repo.Dispose();
    }

    /// <summary>The fake runner answers `kubectl kustomize FOLDER` with what the real kubectl renders (the apply stays fake).</summary>
    private TenantLive Live(params string[] folders)
    {
        foreach (var folder in folders)
        {
            var start = new System.Diagnostics.ProcessStartInfo("kubectl", ["kustomize", _repo.Path(folder)]) { RedirectStandardOutput = true };
            using var kubectl = System.Diagnostics.Process.Start(start)!;
            var lines = kubectl.StandardOutput.ReadToEnd().Split('\n');
            kubectl.WaitForExit();
            _runner.On($"kustomize \"{_repo.Path(folder)}\"", 0, lines);
        }

        return new(PlatformContext.Create(_repo.Root, _runner, $"--kubeconfig={_api.Kubeconfig(_repo.Root)}"));
    }

    private static string Quota(string ns, string pods, bool enforced) => JsonSerializer.Serialize(new
    {
        metadata = new { name = $"{ns[..5]}-quota", @namespace = ns },
        spec = new
        {
            hard = new Dictionary<string, string>
            {
                ["requests.cpu"] = ns.EndsWith("prod", StringComparison.Ordinal) ? "10" : "2",
                ["requests.memory"] = ns.EndsWith("prod", StringComparison.Ordinal) ? "20Gi" : "4Gi",
                ["limits.cpu"] = ns.EndsWith("prod", StringComparison.Ordinal) ? "20" : "4",
                ["limits.memory"] = ns.EndsWith("prod", StringComparison.Ordinal) ? "40Gi" : "8Gi",
                ["pods"] = pods,
                ["services.loadbalancers"] = "0",
                ["services.nodeports"] = "0",
                ["persistentvolumeclaims"] = ns.EndsWith("prod", StringComparison.Ordinal) ? "10" : "5",
                ["requests.storage"] = ns.EndsWith("prod", StringComparison.Ordinal) ? "100Gi" : "20Gi",
            },
        },
        status = enforced ? new { hard = new Dictionary<string, string> { ["pods"] = pods } } : null,
    });

    [Fact]
    public async Task Apply_is_a_server_side_apply_of_the_rendered_folder()
    {
        var outcome = await Live(TenancyChecks.NetworkPolicies).Apply(TenancyChecks.NetworkPolicies);

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal("kubernetes/network-policies: 22 objects applied (server-side, field manager platform-build)", outcome.Detail);
        var apply = Assert.Single(_runner.Starts, s => s.Arguments.Contains(" apply ", StringComparison.Ordinal));
        Assert.EndsWith($"apply --server-side --field-manager=\"platform-build\" -k \"{_repo.Path("kubernetes/network-policies")}\"", apply.Arguments);
    }

    [Fact]
    public async Task Quotas_must_match_the_repository_and_be_enforced()
    {
        foreach (var ns in new[] { "org-a-dev", "org-a-prod", "org-b-dev", "org-b-prod" })
        {
            var pods = ns == "org-b-prod" ? "500" : ns.EndsWith("prod", StringComparison.Ordinal) ? "50" : "20";
            _api.On("GET", $"/api/v1/namespaces/{ns}/resourcequotas/{ns[..5]}-quota", Quota(ns, pods, enforced: ns != "org-a-dev"));
        }

        var outcome = await Live(TenancyChecks.Namespaces).QuotasApplied();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("quota org-a-dev/org-a-quota: not yet enforced (no status.hard); quota org-b-prod/org-b-quota: pods differs from the repository", outcome.Detail);
    }

    [Fact]
    public async Task A_missing_project_or_a_widened_one_is_reported()
    {
        var repoProject = ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/org-a-project.yaml"), "p")[0];
        var widened = KubernetesJsonOf((AppProject)repoProject.Object, p => p.Spec.Destinations!.Add(new ApplicationDestination { Server = "*", Namespace = "*" }));
        _api.On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/org-a", widened)
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/default", KubernetesJsonOf((AppProject)ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/default-project.yaml"), "d")[0].Object, _ => { }))
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/platform", KubernetesJsonOf((AppProject)ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/platform-project.yaml"), "pl")[0].Object, _ => { }))
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/monitoring-config", KubernetesJsonOf((AppProject)ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/monitoring-config-project.yaml"), "mc")[0].Object, _ => { }));

        var outcome = await Live(TenancyChecks.Projects).ProjectsPresent();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("AppProject org-a: destinations in the cluster differ from the repository; AppProject org-b is not in the cluster: run ./build.sh --target=ConfigureArgoCdProjects", outcome.Detail);
    }

    [Fact]
    public void Probe_pods_meet_the_restricted_profile_and_never_mount_a_token()
    {
        var pod = TenantLive.ProbePod("client", TenantLive.ProbeImage, ["/agnhost", "connect", "10.0.0.1:8080", "--timeout=5s"]);

        Assert.False(pod.Spec.AutomountServiceAccountToken);
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.Spec.SecurityContext.SeccompProfile.Type);
        var container = Assert.Single(pod.Spec.Containers);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Matches("^platform-probe-client-[0-9a-f]{6}$", pod.Metadata.Name);
    }

    private static string KubernetesJsonOf(AppProject project, Action<AppProject> change)
    {
        change(project);
        return k8s.KubernetesJson.Serialize(project);
    }
}
