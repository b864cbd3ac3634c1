using System.Text.Json;
using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy;
using Platform.Build.Tenancy.Access;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tenancy;

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
            }.Concat(global::Platform.Build.Tenancy.TenantLayout.CountedKinds.Select(k => KeyValuePair.Create(k, "100"))).ToDictionary(),
        },
        status = enforced ? new { hard = new Dictionary<string, string> { ["pods"] = pods } } : null,
    });

    [Fact]
    public async Task Apply_is_a_server_side_apply_of_the_rendered_folder()
    {
        var outcome = await Live("kubernetes/network-policies/dev").Apply("kubernetes/network-policies/dev");

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        // dev's two namespaces: four base policies and the ingress allowance each, and org-a-dev's database egress.
        Assert.Equal("kubernetes/network-policies/dev: 11 objects applied (server-side, field manager platform-build)", outcome.Detail);
        var apply = Assert.Single(_runner.Starts, s => s.Arguments.Contains(" apply ", StringComparison.Ordinal));
        Assert.EndsWith($"apply --server-side --field-manager=\"platform-build\" -k \"{_repo.Path("kubernetes/network-policies/dev")}\"", apply.Arguments);
    }

    [Fact]
    public async Task Quotas_must_match_the_repository_and_be_enforced()
    {
        // A dev run asks about dev's namespaces only: prod's are on another cluster.
        foreach (var ns in new[] { "org-a-dev", "org-b-dev" })
        {
            _api.On("GET", $"/api/v1/namespaces/{ns}/resourcequotas/{ns[..5]}-quota", Quota(ns, ns == "org-b-dev" ? "500" : "20", enforced: ns != "org-a-dev"));
        }

        var outcome = await Live("kubernetes/namespaces/dev").QuotasApplied();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("quota org-a-dev/org-a-quota: not yet enforced (no status.hard); quota org-b-dev/org-b-quota: pods differs from the repository", outcome.Detail);
        Assert.DoesNotContain(_api.Requests, r => r.Path.Contains("-prod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_project_or_a_widened_one_is_reported()
    {
        var repoProject = ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/dev/org-a-project.yaml"), "p")[0];
        var widened = KubernetesJsonOf((AppProject)repoProject.Object, p =>
        {
            p.Spec.Destinations!.Add(new ApplicationDestination { Server = "*", Namespace = "*" });
            p.Spec.NamespaceResourceWhitelist!.Add(new GroupKind { Group = "rbac.authorization.k8s.io", Kind = "RoleBinding" });
            p.Spec.DestinationServiceAccounts![0].DefaultServiceAccount = "argocd:argocd-application-controller";
        });
        _api.On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/org-a", widened)
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/default", KubernetesJsonOf((AppProject)ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/base/default-project.yaml"), "d")[0].Object, _ => { }))
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/platform", KubernetesJsonOf((AppProject)ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/base/platform-project.yaml"), "pl")[0].Object, _ => { }))
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects/monitoring-config", KubernetesJsonOf((AppProject)ManifestParser.Parse(_repo.Read("kubernetes/argocd/projects/base/monitoring-config-project.yaml"), "mc")[0].Object, _ => { }));

        var outcome = await Live("kubernetes/argocd/projects/dev").ProjectsPresent();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("AppProject org-a: destinations in the cluster differ from the repository; AppProject org-a: namespaceResourceWhitelist in the cluster differs from the repository; AppProject org-a: destinationServiceAccounts in the cluster differ from the repository (syncs may not run as the deployer); AppProject org-b is not in the cluster: run ./build.sh --target=ConfigureArgoCdProjects", outcome.Detail);
    }

    /// <summary>
    /// The fake API server answers SubjectAccessReviews as a cluster holding the rendered
    /// RBAC would (the build's own model of it), except where <paramref name="hole"/> says yes.
    /// </summary>
    private TenantAccessLive AccessLive(Func<string, string, bool>? hole = null, bool noBindings = false)
    {
        var live = Live("kubernetes/namespaces/dev", "kubernetes/guardrails");
        var objects = new[] { "kubernetes/namespaces/dev", "kubernetes/guardrails" }
            .SelectMany(f => ManifestParser.Parse(Kustomize(f), f)).Select(m => (object)m.Object)
            .Where(o => !noBindings || o is not k8s.Models.V1RoleBinding).ToList();
        var rbac = new RbacModel(objects);
        _api.OnBody("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", body =>
        {
            var spec = JsonDocument.Parse(body).RootElement.GetProperty("spec");
            var attributes = spec.GetProperty("resourceAttributes");
            string? Text(string name) => attributes.TryGetProperty(name, out var v) ? v.GetString() : null;
            var resource = Text("resource")! + (Text("subresource") is { } sub ? "/" + sub : string.Empty);
            var user = spec.GetProperty("user").GetString()!;
            var groups = spec.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList();
            var allowed = rbac.Allows(new Subject(user, groups), new RbacRequest(Text("verb")!, Text("group") ?? string.Empty, resource, Text("namespace"), Text("name")))
                || hole?.Invoke(user, $"{Text("verb")} {resource}") == true;
            return JsonSerializer.Serialize(new { apiVersion = "authorization.k8s.io/v1", kind = "SubjectAccessReview", status = new { allowed } });
        });
        return new TenantAccessLive(PlatformContext.Create(_repo.Root, _runner, $"--kubeconfig={_api.Kubeconfig(_repo.Root)}"));
    }

    private string Kustomize(string folder)
    {
        var start = new System.Diagnostics.ProcessStartInfo("kubectl", ["kustomize", _repo.Path(folder)]) { RedirectStandardOutput = true };
        using var kubectl = System.Diagnostics.Process.Start(start)!;
        var text = kubectl.StandardOutput.ReadToEnd();
        kubectl.WaitForExit();
        return text;
    }

    [Fact]
    public async Task A_cluster_holding_the_rendered_RBAC_refuses_every_deployer_what_the_access_table_denies()
    {
        var outcome = await AccessLive().DeployersRefused();

        Assert.True(outcome.Status == CheckStatus.Passed, outcome.Detail);
        Assert.Matches(@"^\d+ SubjectAccessReviews on the dev cluster as each namespace's platform-deployer", outcome.Detail);
        var reviews = _api.Requests.Where(r => r.Path == "/apis/authorization.k8s.io/v1/subjectaccessreviews").ToList();
        Assert.Contains(reviews, r => r.Body.Contains("\"user\":\"system:serviceaccount:org-a-dev:platform-deployer\"", StringComparison.Ordinal) && r.Body.Contains("\"resource\":\"rolebindings\"", StringComparison.Ordinal));
        Assert.Contains(reviews, r => r.Body.Contains("\"subresource\":\"token\"", StringComparison.Ordinal));
        Assert.DoesNotContain(reviews, r => r.Body.Contains("-prod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cluster_where_the_deployer_may_bind_roles_fails_RBAC_working_correctly()
    {
        // The cluster drifted from the repository: someone gave the deployers RoleBinding rights.
        var outcome = await AccessLive(hole: (user, what) => user.EndsWith(":platform-deployer", StringComparison.Ordinal) && what == "create rolebindings").DeployersRefused();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("org-a-dev: system:serviceaccount:org-a-dev:platform-deployer is allowed to bind cluster-admin in the namespace (create rolebindings)", outcome.Detail);
    }

    [Fact]
    public async Task A_cluster_without_the_deployers_binding_cannot_sync_and_fails_too()
    {
        var outcome = await AccessLive(noBindings: true).DeployersRefused();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("org-b-dev: system:serviceaccount:org-b-dev:platform-deployer is refused to create a Deployment", outcome.Detail);
    }

    [Theory]
    [InlineData("dev", null)]
    [InlineData("prod", "refusing to change this cluster: its kube-system/platform-identity says environment 'prod', not --env=dev: pass dev's kubeconfig (.secrets/dev/kubeconfig)")]
    public async Task The_cluster_must_show_it_is_the_runs_environment(string recorded, string? expected)
    {
        _api.On("GET", "/api/v1/namespaces/kube-system/configmaps/platform-identity", JsonSerializer.Serialize(new { metadata = new { name = "platform-identity", @namespace = "kube-system" }, data = new { environment = recorded, cluster_name = "platform" } }));

        var refusal = await ClusterIdentity.Refusal(PlatformContext.Create(_repo.Root, _runner, $"--kubeconfig={_api.Kubeconfig(_repo.Root)}"));

        Assert.Equal(expected, refusal);
    }

    [Fact]
    public async Task A_cluster_without_an_identity_is_not_changed()
    {
        var refusal = await ClusterIdentity.Refusal(PlatformContext.Create(_repo.Root, _runner, $"--kubeconfig={_api.Kubeconfig(_repo.Root)}"));

        Assert.Equal("refusing to change this cluster: it has no kube-system/platform-identity, so it cannot show it is dev's: run ./build.sh --target=ExecuteKubernetesSetup --env=dev (it records it)", refusal);
    }

    [Fact]
    public void A_dev_run_against_the_prod_cluster_changes_nothing()
    {
        _api.On("GET", "/api/v1/namespaces/kube-system/configmaps/platform-identity", JsonSerializer.Serialize(new { metadata = new { name = "platform-identity" }, data = new { environment = "prod" } }));

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=CreateNamespaces", "--exclusive", $"--kubeconfig={_api.Kubeconfig(_repo.Root)}");

        Assert.Equal(1, run.ExitCode);
        var action = ReportFile.Rows(_repo.Root).Single(r => r.Task == "CreateNamespaces" && r.Item.StartsWith("Action:", StringComparison.Ordinal));
        Assert.Equal("Failed", action.Status);
        Assert.StartsWith("refusing to change this cluster: its kube-system/platform-identity says environment 'prod'", action.Detail);
        Assert.DoesNotContain(_api.Requests, r => r.Method is "PATCH" or "POST" or "PUT" or "DELETE");
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
