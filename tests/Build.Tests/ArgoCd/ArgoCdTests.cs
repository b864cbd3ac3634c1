using System.Text.Json;
using Xunit;
using Platform.Build.ArgoCd;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.ArgoCd;

/// <summary>Tasks 3.1, 3.2 and 3.4: the values rules, the install against a fake cluster and fake tools, repository access.</summary>
public sealed class ArgoCdTests : IDisposable
{
    private const string Values = "kubernetes/argocd/install/values.yaml";
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", ".gitignore");
    private readonly FakeApiServer _api = new();
    private readonly FakeProcessRunner _runner = new();

    public void Dispose()
    {
        _api.Dispose();
        _repo.Dispose();
    }

    private BuildContext Context(params string[] extra) =>
        PlatformContext.Create(_repo.Root, _runner, [$"--kubeconfig={_api.Kubeconfig(_repo.Root)}", .. extra]);

    private void Edit(string file, string find, string replace) => _repo.Edit(file, find, replace);

    private static string Pod(string name, bool ready, string? waiting = null) => JsonSerializer.Serialize(new
    {
        metadata = new { name, @namespace = "argocd" },
        status = new
        {
            phase = ready ? "Running" : "Pending",
            conditions = new[] { new { type = "Ready", status = ready ? "True" : "False" } },
            containerStatuses = waiting is null ? null : new[] { new { name = "c", ready = false, restartCount = 0, image = "i", imageID = "", state = new { waiting = new { reason = waiting } } } },
        },
    });

    private static string PodList(params string[] pods) => $$"""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[{{string.Join(',', pods)}}]}""";

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_repository_values_meet_the_rules(string environment)
    {
        var install = ArgoCdInstall.Load(Repo.Root, environment);

        Assert.Empty(install.Findings(environment));
        Assert.Equal("8.1.3", install.Chart.Version);
    }

    [Fact]
    public void A_misspelt_values_key_fails_with_its_line()
    {
        Edit(Values, "    defaultDenyIngress: true", "    defaultDenyIngres: true");
        var line = _repo.Read(Values).Split('\n').ToList().FindIndex(l => l.Contains("defaultDenyIngres:", StringComparison.Ordinal)) + 1;

        var error = Assert.Throws<DataFileException>(() => ArgoCdInstall.Load(_repo.Root, "dev"));

        Assert.StartsWith($"{Values}:{line}: ", error.Message);
        Assert.Contains("defaultDenyIngres", error.Message);
    }

    [Fact]
    public void Exec_on_a_default_role_and_prod_without_HA_are_findings()
    {
        Edit(Values, "exec.enabled: false", "exec.enabled: true");
        Edit(Values, "policy.default: \"\"", "policy.default: role:readonly");
        Edit("kubernetes/argocd/install/values-prod.yaml", "redis-ha:\n  enabled: true", "redis-ha:\n  enabled: false");
        Edit("kubernetes/argocd/install/values-prod.yaml", "    minReplicas: 2\nrepoServer", "    minReplicas: 1\nrepoServer");

        var findings = ArgoCdInstall.Load(_repo.Root, "prod").Findings("prod");

        Assert.Contains("configs.cm.\"exec.enabled\" must be false (no shell into pods from the UI)", findings);
        Assert.Contains("configs.rbac.\"policy.default\" must be \"\" (deny unless a role grants it)", findings);
        Assert.Contains("prod: redis-ha.enabled must be true", findings);
        Assert.Contains("prod: server needs at least 2 replicas (replicas, or autoscaling.minReplicas)", findings);
    }

    [Fact]
    public void The_local_admin_left_on_after_SSO_is_a_finding_and_off_it_passes()
    {
        Edit(Values, "    users.anonymous.enabled: false\n", "    users.anonymous.enabled: false\n    oidc.config: |\n      name: Company SSO\n      issuer: https://sso.platform.example.com\n");

        Assert.Contains("configs.cm.\"admin.enabled\" must be false once SSO is configured (oidc.config or dex.config): break glass as the install README says", ArgoCdInstall.Load(_repo.Root, "dev").Findings("dev"));

        Edit(Values, "admin.enabled: true", "admin.enabled: false");
        Assert.DoesNotContain(ArgoCdInstall.Load(_repo.Root, "dev").Findings("dev"), f => f.Contains("admin.enabled", StringComparison.Ordinal));
    }

    [Fact]
    public void Sync_impersonation_switched_off_is_a_finding()
    {
        Edit(Values, "application.sync.impersonation.enabled: \"true\"", "application.sync.impersonation.enabled: \"false\"");

        Assert.Contains(ArgoCdInstall.Load(_repo.Root, "dev").Findings("dev"), f => f.StartsWith("configs.cm.\"application.sync.impersonation.enabled\" must be \"true\"", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unpinned_chart_version_is_refused()
    {
        Edit("kubernetes/argocd/install/chart.yaml", "version: 8.1.3", "version: 8.1.x");

        var error = Assert.Throws<DataFileException>(() => ArgoCdInstall.Load(_repo.Root, "dev"));

        Assert.Contains("version: '8.1.x' is not an exact chart version (x.y.z): pin one", error.Message);
    }

    [Fact]
    public async Task Install_applies_the_namespace_installs_the_pinned_chart_waits_for_Ready_and_saves_the_password_privately()
    {
        _api.On("GET", "/api/v1/namespaces/argocd/pods", PodList(Pod("argocd-server-1", false, "ContainerCreating"), Pod("argocd-repo-server-1", true)))
            .OnWatch("/api/v1/namespaces/argocd/pods", ("MODIFIED", Pod("argocd-server-1", true)))
            .On("GET", "/api/v1/namespaces/argocd/secrets/argocd-initial-admin-secret",
                """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"argocd-initial-admin-secret"},"data":{"password":"czNjcjN0LXBhc3N3b3Jk"}}""");
        var context = Context();

        var outcome = await new ArgoCdLive(context).Install(TimeSpan.FromSeconds(20));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal(2, _runner.Starts.Count);
        Assert.StartsWith("--kubeconfig=", _runner.Starts[0].Arguments);
        Assert.EndsWith($"apply --server-side --field-manager=\"platform-build\" -k \"{_repo.Path("kubernetes/argocd/install")}\"", _runner.Starts[0].Arguments);
        Assert.Contains(
            $"upgrade --install \"argocd\" \"argo-cd\" --repo=\"https://argoproj.github.io/argo-helm\" --namespace=\"argocd\" --version=\"8.1.3\" --values=\"{_repo.Path(Values)}\" --values=\"{_repo.Path("kubernetes/argocd/install/values-dev.yaml")}\"",
            _runner.Starts[1].Arguments);
        var saved = _repo.Path(".secrets/dev/argocd-admin-password");
        Assert.Equal("s3cr3t-password", File.ReadAllText(saved));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        Assert.DoesNotContain("s3cr3t-password", outcome.Detail);
        Assert.DoesNotContain("s3cr3t-password", ((RecordingLog)context.Log).Text);
        Assert.Contains("argocd: 1/2 pods Ready (waiting: argocd-server-1 ContainerCreating)", ((RecordingLog)context.Log).Text);
        Assert.Contains("update-password", outcome.Detail);
    }

    [Fact]
    public async Task Install_refuses_values_that_break_the_rules_before_changing_anything()
    {
        Edit(Values, "exec.enabled: false", "exec.enabled: true");

        var outcome = await new ArgoCdLive(Context()).Install(TimeSpan.FromSeconds(5));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.StartsWith("not installing settings that break the platform's rules: configs.cm.\"exec.enabled\" must be false", outcome.Detail);
        Assert.Empty(_runner.Starts);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Waiting_past_the_timeout_names_the_pods_that_are_not_ready()
    {
        _api.On("GET", "/api/v1/namespaces/argocd/pods", PodList(Pod("argocd-redis-1", false, "ImagePullBackOff")))
            .OnWatch("/api/v1/namespaces/argocd/pods");

        var outcome = await new ArgoCdLive(Context()).WaitForPods(TimeSpan.FromSeconds(2));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("not every pod in argocd was Ready within 2 s: argocd-redis-1 (ImagePullBackOff)", outcome.Detail);
    }

    [Fact]
    public async Task Login_posts_the_saved_password_from_a_private_file_never_the_command_line()
    {
        _repo.Write(".secrets/dev/argocd-admin-password", "s3cr3t-password\n");
        _runner.On("--kubeconfig", 0, ["{\"token\":\"eyJ-not-logged\"}"], started =>
        {
            var body = started.Arguments[(started.Arguments.IndexOf("-f \"", StringComparison.Ordinal) + 4)..^1];
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(body));
            Assert.Contains("\"password\":\"s3cr3t-password\"", File.ReadAllText(body));
        });
        var context = Context();

        var outcome = await new ArgoCdLive(context).AdminLogin();

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        var start = Assert.Single(_runner.Starts);
        Assert.Contains("create --raw=/api/v1/namespaces/argocd/services/https:argocd-server:https/proxy/api/v1/session -f ", start.Arguments);
        Assert.DoesNotContain("s3cr3t", start.Arguments);
        Assert.DoesNotContain("eyJ-not-logged", ((RecordingLog)context.Log).Text);
        Assert.Empty(Directory.EnumerateFiles(_repo.Path(".secrets/dev"), ".session-*"));
    }

    [Fact]
    public async Task The_probe_Application_is_created_in_the_first_project_compared_and_deleted()
    {
        _api.On("POST", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications", "{}", 201)
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/*", """{"status":{"sync":{"status":"OutOfSync"}}}""")
            .On("DELETE", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/*", "{}");

        var outcome = await new ArgoCdLive(Context()).ProbeApplication(TimeSpan.FromSeconds(10));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        var created = JsonDocument.Parse(_api.Requests.First(r => r.Method == "POST").Body).RootElement;
        Assert.Equal("org-a", created.GetProperty("spec").GetProperty("project").GetString());
        Assert.Equal("org-a-dev", created.GetProperty("spec").GetProperty("destination").GetProperty("namespace").GetString());
        Assert.Equal("https://github.com/example-org/platform.git", created.GetProperty("spec").GetProperty("source").GetProperty("repoURL").GetString());
        Assert.False(created.GetProperty("spec").TryGetProperty("syncPolicy", out _), "the probe must never sync");
        Assert.Contains(_api.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task A_probe_Application_Argo_CD_refuses_fails_with_its_condition()
    {
        _api.On("POST", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications", "{}", 201)
            .On("GET", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/*",
                """{"status":{"conditions":[{"type":"InvalidSpecError","message":"application repo x is not permitted in project 'org-a'"}]}}""")
            .On("DELETE", "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/*", "{}");

        var outcome = await new ArgoCdLive(Context()).ProbeApplication(TimeSpan.FromSeconds(10));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("InvalidSpecError: application repo x is not permitted in project 'org-a'", outcome.Detail);
        Assert.Contains(_api.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task The_repository_Secret_carries_the_token_in_the_request_body_only()
    {
        _api.On("PATCH", "/api/v1/namespaces/argocd/secrets/repo-platform", "{}");
        using var env = new EnvironmentScope().Set(RepositoryAccess.TokenVariable, "ghp-test-token").Set(RepositoryAccess.UsernameVariable, null);
        var context = Context();

        var outcome = await new RepositoryAccess(context).Register();

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.DoesNotContain("ghp-test-token", outcome.Detail);
        Assert.DoesNotContain("ghp-test-token", ((RecordingLog)context.Log).Text);
        var request = Assert.Single(_api.Requests);
        Assert.Contains("fieldManager=platform-build", request.Query);
        Assert.Contains("force=true", request.Query);
        var secret = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("repository", secret.GetProperty("metadata").GetProperty("labels").GetProperty("argocd.argoproj.io/secret-type").GetString());
        Assert.Equal("ghp-test-token", secret.GetProperty("stringData").GetProperty("password").GetString());
        Assert.Equal("git", secret.GetProperty("stringData").GetProperty("username").GetString());
        Assert.Equal("https://github.com/example-org/platform.git", secret.GetProperty("stringData").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_token_file_others_can_read_is_refused_before_anything_is_sent()
    {
        _repo.Write("token", "ghp-test-token\n");
        File.SetUnixFileMode(_repo.Path("token"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var env = new EnvironmentScope().Set(RepositoryAccess.TokenVariable, null);

        var outcome = await new RepositoryAccess(Context($"--git-token-file={_repo.Path("token")}")).Register();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal($"--git-token-file={_repo.Path("token")}: readable by others: chmod 600 it (and rotate the token if others could read it)", outcome.Detail);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("""{"repo":"x","connectionState":{"status":"Successful","message":""}}""", CheckStatus.Passed)]
    [InlineData("""{"repo":"x","connectionState":{"status":"Failed","message":"authentication required"}}""", CheckStatus.Failed)]
    public void Connection_state_is_read_from_Argo_CDs_answer(string json, CheckStatus expected)
    {
        var outcome = RepositoryAccess.ParseConnectionState("x", json);

        Assert.Equal(expected, outcome.Status);
        if (expected == CheckStatus.Failed)
        {
            Assert.Equal("x: connection Failed: authentication required", outcome.Detail);
        }
    }

    [Fact]
    public void A_committed_repository_Secret_with_a_password_fails_the_storage_check()
    {
        Assert.Equal(CheckStatus.Passed, RepositoryAccess.StoredSecurely(new PlatformPaths(_repo.Root, "dev")).Status);

        _repo.Write("kubernetes/argocd/repositories/leak.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: r\n  labels:\n    argocd.argoproj.io/secret-type: repository\nstringData:\n  password: ghp-real\n");
        var outcome = RepositoryAccess.StoredSecurely(new PlatformPaths(_repo.Root, "dev"));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("kubernetes/argocd/repositories/leak.yaml: a repository Secret with a credential is in the repository", outcome.Detail);
    }

    [Fact]
    public void The_install_README_check_follows_the_pinned_version()
    {
        var context = Context();
        Assert.Equal(CheckStatus.Passed, ArgoCdChecks.ArgoCdReadme(context).Status);

        Edit("kubernetes/argocd/install/chart.yaml", "version: 8.1.3", "version: 8.2.0");

        var outcome = ArgoCdChecks.ArgoCdReadme(context);
        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("README does not name the pinned chart version 8.2.0", outcome.Detail);
    }
}
