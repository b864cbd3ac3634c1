using System.Net;
using System.Text.Json;
using Xunit;
using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Monitoring;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Apps;

/// <summary>
/// Tasks 4.5 and 4.6 against a fake Kubernetes API and fake tools: the requests
/// DeployApp and RollbackApp make, what they read back, and what they print.
/// </summary>
[Collection(nameof(PollIntervalCollection))]
public sealed class ApplicationLiveTests : IDisposable
{
    private const string AppPath = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/sso-prod";
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", ".gitignore");
    private readonly FakeApiServer _api = new();
    private readonly FakeProcessRunner _runner = new();
    private readonly TimeSpan _interval = ApplicationLive.PollInterval;

    public ApplicationLiveTests() => ApplicationLive.PollInterval = TimeSpan.FromMilliseconds(50);

    public void Dispose()
    {
        ApplicationLive.PollInterval = _interval;
        _api.Dispose();
        _repo.Dispose();
    }

    private MonitoringLive Monitoring() =>
        new(PlatformContext.Create(_repo.Root, _runner, [$"--kubeconfig={_api.Kubeconfig(_repo.Root)}", "--env=prod", "--confirm=prod"]), TenantApplication.Sso);

    private ApplicationLive Live(HttpMessageHandler? http = null, params string[] extra)
    {
        var context = PlatformContext.Create(_repo.Root, _runner, [$"--kubeconfig={_api.Kubeconfig(_repo.Root)}", "--env=prod", "--confirm=prod", .. extra]);
        return new ApplicationLive(context, TenantApplication.Sso, http);
    }

    private static string App(string sync, string health, string? phase = null, params object[] resources) => AppAt("2026-12-01T10:00:00Z", sync, health, phase, resources);

    /// <summary>The Application as Argo CD reports it, with the start time of its last operation.</summary>
    private static string AppAt(string started, string sync, string health, string? phase = null, params object[] resources) => JsonSerializer.Serialize(new
    {
        apiVersion = "argoproj.io/v1alpha1",
        kind = "Application",
        metadata = new { name = "sso-prod", @namespace = "argocd" },
        spec = new { project = "org-a", source = new { repoURL = "https://github.com/example-org/platform.git", path = "kubernetes/apps/sso/overlays/prod", targetRevision = "sso-v1.0.0" } },
        status = new
        {
            sync = new { status = sync, revision = "0123456789abcdef0123456789abcdef01234567" },
            health = new { status = health },
            operationState = new { phase = phase ?? "Succeeded", startedAt = started, message = phase == "Failed" ? "one or more objects failed to apply" : "ok" },
            history = new[]
            {
                new { id = 3L, revision = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", source = new { repoURL = "https://github.com/example-org/platform.git", path = "kubernetes/apps/sso/overlays/prod", targetRevision = "sso-v0.9.0" } },
                new { id = 4L, revision = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", source = new { repoURL = "https://github.com/example-org/platform.git", path = "kubernetes/apps/sso/overlays/prod", targetRevision = "sso-v1.0.0" } },
            },
            resources,
        },
    });

    [Fact]
    public async Task Deploy_applies_the_Application_starts_a_sync_through_its_operation_field_and_waits_until_Synced_and_Healthy()
    {
        // Before the patch, and right after it, Argo CD still shows the last run (Synced and
        // Healthy at the old revision): that must not count. Then the new operation runs.
        _api.On("PATCH", AppPath, "{}")
            .OnSequence("GET", AppPath, App("Synced", "Healthy"), App("Synced", "Healthy"),
                AppAt("2026-12-01T11:00:00Z", "OutOfSync", "Progressing", "Running"), AppAt("2026-12-01T11:00:00Z", "Synced", "Healthy", "Succeeded"));

        var outcome = await Live().Deploy(TimeSpan.FromSeconds(10));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal("sso-prod Synced and Healthy at 0123456789abcdef0123456789abcdef01234567", outcome.Detail);
        var apply = Assert.Single(_runner.Starts);
        Assert.EndsWith($"apply --server-side --field-manager=\"platform-build\" -f \"{_repo.Path("kubernetes/argocd/applications/sso-prod.yaml")}\"", apply.Arguments);
        var patch = _api.Requests.Single(r => r.Method == "PATCH");
        using var body = JsonDocument.Parse(patch.Body);
        var sync = body.RootElement.GetProperty("operation").GetProperty("sync");
        Assert.Equal("sso-v1.0.0", sync.GetProperty("revision").GetString());
        Assert.False(sync.GetProperty("prune").GetBoolean()); // prod keeps the seed's prune: false
        Assert.Equal("platform-build", body.RootElement.GetProperty("operation").GetProperty("initiatedBy").GetProperty("username").GetString());
        Assert.Equal(4, _api.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_sync_is_not_started_over_a_running_operation()
    {
        _api.On("GET", AppPath, App("OutOfSync", "Progressing", "Running"));

        var outcome = await Live().Deploy(TimeSpan.FromSeconds(5));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("sso-prod has an operation Running since 2026-12-01T10:00:00Z: wait for it to finish, or stop it (argocd app terminate-op sso-prod), then run again", outcome.Detail);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task An_operation_Argo_CD_never_takes_up_is_reported_as_such()
    {
        _api.On("PATCH", AppPath, "{}").On("GET", AppPath, App("Synced", "Healthy"));

        var outcome = await Live().Deploy(TimeSpan.FromSeconds(1));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("operation not started (Argo CD did not take up the operation: is the application controller running?)", outcome.Detail);
    }

    [Fact]
    public async Task A_failed_deployment_names_the_unhealthy_resources_and_the_exact_rollback_command()
    {
        var degraded = AppAt("2026-12-01T11:00:00Z", "Synced", "Degraded", "Running",
            new { kind = "Deployment", name = "sso", @namespace = "org-a-prod", status = "Synced", health = new { status = "Degraded", message = "Deployment exceeded its progress deadline" } },
            new { kind = "Service", name = "sso", @namespace = "org-a-prod", status = "Synced", health = new { status = "Healthy" } });
        _api.On("PATCH", AppPath, "{}").OnSequence("GET", AppPath, App("Synced", "Healthy"), degraded);

        var outcome = await Live().Deploy(TimeSpan.FromSeconds(1));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("sso-prod is sync Synced, health Degraded, operation Running", outcome.Detail);
        Assert.Contains("not healthy: Deployment/sso in org-a-prod Synced/Degraded: Deployment exceeded its progress deadline", outcome.Detail);
        Assert.DoesNotContain("Service/sso", outcome.Detail);
        Assert.EndsWith("Roll back: ./build.sh --target=RollbackApp --env=prod --confirm=prod --revision=3", outcome.Detail);
    }

    [Fact]
    public async Task An_Application_whose_namespace_is_placed_on_another_cluster_is_refused_before_anything_is_applied()
    {
        // The catalog puts org-a's prod on the dev cluster: a prod run must not apply sso-prod to the prod cluster.
        var catalog = _repo.Read("kubernetes/tenants/tenants.yaml");
        var prodEntry = "      - name: prod\n        size: medium\n";
        Assert.Contains(prodEntry, catalog);
        _repo.Write("kubernetes/tenants/tenants.yaml", catalog.Replace(prodEntry, "      - name: prod\n        size: medium\n        cluster: dev\n", StringComparison.Ordinal));

        var outcome = await Live().Deploy(TimeSpan.FromSeconds(5));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("kubernetes/argocd/applications/sso-prod.yaml deploys into org-a-prod, which kubernetes/tenants/tenants.yaml places on the dev cluster: run with --env=dev", outcome.Detail);
        Assert.Empty(_api.Requests);
        Assert.DoesNotContain(_runner.Starts, s => s.Arguments.Contains(" apply ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_sync_operation_stops_the_wait_at_once()
    {
        _api.On("PATCH", AppPath, "{}").OnSequence("GET", AppPath, App("Synced", "Healthy"), AppAt("2026-12-01T11:00:00Z", "OutOfSync", "Missing", "Failed"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Live().Deploy(TimeSpan.FromMinutes(5));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("operation Failed (one or more objects failed to apply)", outcome.Detail);
        // The sync failed, so the newest history entry is still the last good one.
        Assert.EndsWith("Roll back: ./build.sh --target=RollbackApp --env=prod --confirm=prod --revision=4", outcome.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "a failed operation must not wait for the timeout");
    }

    [Fact]
    public async Task Rollback_turns_automated_sync_off_then_syncs_to_the_history_entry_as_argocd_app_rollback_does()
    {
        _api.On("PATCH", AppPath, "{}")
            .OnSequence("GET", AppPath, App("Synced", "Healthy"), App("Synced", "Healthy"), AppAt("2026-12-01T11:00:00Z", "OutOfSync", "Healthy", "Succeeded"));

        var outcome = await Live().Rollback(3, TimeSpan.FromSeconds(5));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("rolled back to history 3 (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) and Healthy; automated sync is off until ./build.sh --target=DeployApp --env=prod", outcome.Detail);
        var patches = _api.Requests.Where(r => r.Method == "PATCH").Select(r => r.Body).ToList();
        Assert.Equal(2, patches.Count);
        Assert.Equal("""{"spec":{"syncPolicy":{"automated":null}}}""", patches[0]);
        using var operation = JsonDocument.Parse(patches[1]);
        var sync = operation.RootElement.GetProperty("operation").GetProperty("sync");
        Assert.Equal("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", sync.GetProperty("revision").GetString());
        Assert.Equal("sso-v0.9.0", sync.GetProperty("source").GetProperty("targetRevision").GetString());
        Assert.Empty(_runner.Starts);
    }

    [Fact]
    public async Task Rollback_to_an_id_not_in_the_history_changes_nothing()
    {
        _api.On("GET", AppPath, App("Synced", "Healthy"));

        var outcome = await Live().Rollback(9, TimeSpan.FromSeconds(5));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("--revision=9 is not in sso-prod's history (3: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, 4: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb): pick one of those ids", outcome.Detail);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "PATCH");
        Assert.Empty(_runner.Starts);
    }

    [Fact]
    public async Task Appears_compares_the_cluster_with_the_repository_definition()
    {
        _api.On("GET", AppPath, App("Synced", "Healthy"));
        Assert.Equal(CheckStatus.Passed, (await Live().Appears()).Status);

        _api.On("GET", AppPath, App("Synced", "Healthy").Replace("overlays/prod", "overlays/dev", StringComparison.Ordinal));
        var drifted = await Live().Appears();
        Assert.Equal(CheckStatus.Failed, drifted.Status);
        Assert.Contains("path is 'kubernetes/apps/sso/overlays/dev' in the cluster, 'kubernetes/apps/sso/overlays/prod' in kubernetes/argocd/applications/sso-prod.yaml", drifted.Detail);
    }

    private void RenderForReal()
    {
        // Accessible reads the Ingress host from the render: give the fake kubectl the real render.
        var real = PlatformContext.Create(_repo.Root).Renders.Render(TenantApplication.Sso.Overlay("prod"));
        Assert.True(real.Succeeded, real.Error);
        var text = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kubectl", $"kustomize {_repo.Path(TenantApplication.Sso.Overlay("prod"))}") { RedirectStandardOutput = true })!;
        var lines = text.StandardOutput.ReadToEnd().Split('\n');
        text.WaitForExit();
        _runner.OnContaining("kustomize", 0, lines);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, """{"issuer":"https://sso.platform.example.com"}""", CheckStatus.Passed, "answers with issuer https://sso.platform.example.com")]
    [InlineData(HttpStatusCode.OK, """{"issuer":"https://sso.example.invalid"}""", CheckStatus.Failed, "names issuer 'https://sso.example.invalid', not https://sso.platform.example.com")]
    [InlineData(HttpStatusCode.BadGateway, "", CheckStatus.Failed, "answered 502")]
    public async Task Accessible_asks_the_discovery_document_on_the_ingress_host(HttpStatusCode status, string body, CheckStatus expected, string detail)
    {
        RenderForReal();
        var handler = new AnswerHandler(status, body);

        var outcome = await Live(handler).Accessible();

        Assert.Equal(expected, outcome.Status);
        Assert.Contains(detail, outcome.Detail);
        Assert.Equal("https://sso.platform.example.com/.well-known/openid-configuration", handler.Asked);
    }

    [Fact]
    public async Task Scraped_reads_up_from_Prometheus_through_the_service_proxy()
    {
        _runner.OnContaining("query?query=up", 0, ["""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]},{"metric":{},"value":[1,"0"]}]}}"""]);

        var outcome = await Monitoring().Scraped();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("1 of 2 sso targets are down", outcome.Detail);
        var query = Assert.Single(_runner.Starts);
        Assert.Contains($"get --raw={MonitoringLive.PrometheusProxy}/api/v1/query?query=up%7Bjob%3D%22sso%22%2C%20namespace%3D%22org-a-prod%22%7D", query.Arguments);
    }

    [Fact]
    public async Task The_dashboard_check_runs_every_panel_query_for_the_namespace()
    {
        _runner.OnContaining("query?query=", 0, ["""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}"""]);
        var dashboard = Dashboard.Load(_repo.Path(MonitoringChecks.DashboardFile), MonitoringChecks.DashboardFile);

        var outcome = await Monitoring().DashboardShowsData(dashboard);

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal(dashboard.Queries.Count, _runner.Starts.Count);
        Assert.All(_runner.Starts, s => Assert.DoesNotContain("%24namespace", s.Arguments));
        Assert.All(_runner.Starts, s => Assert.Contains("org-a-prod", Uri.UnescapeDataString(s.Arguments)));
    }

    [Fact]
    public async Task A_dashboard_without_a_panel_that_must_show_data_fails()
    {
        _runner.OnContaining("query?query=", 0, ["""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}"""]);
        var json = _repo.Read(MonitoringChecks.DashboardFile).Replace("\"title\": \"Latency\"", "\"title\": \"Response time\"", StringComparison.Ordinal);

        var outcome = await Monitoring().DashboardShowsData(Dashboard.Parse(json, MonitoringChecks.DashboardFile));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.StartsWith("kubernetes/monitoring/sso-dashboard.json has no panel Latency", outcome.Detail);
    }

    [Fact]
    public async Task An_Application_not_at_its_remotes_head_fails_the_git_check()
    {
        _api.On("GET", AppPath, App("Synced", "Healthy"));
        // An annotated tag: the tag object, then the commit it points at (^{}), which is what Argo CD runs.
        _runner.OnContaining("ls-remote", 0, ["eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\trefs/tags/sso-v1.0.0", "ffffffffffffffffffffffffffffffffffffffff\trefs/tags/sso-v1.0.0^{}"]);

        var outcome = await Live().FollowsGit();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("but sso-v1.0.0 is at ffffffffffffffffffffffffffffffffffffffff", outcome.Detail);
        var git = Assert.Single(_runner.Starts);
        Assert.Equal("ls-remote \"https://github.com/example-org/platform.git\" \"refs/heads/sso-v1.0.0\" \"refs/tags/sso-v1.0.0\" \"refs/tags/sso-v1.0.0^{}\"", git.Arguments);
        Assert.Equal("0", git.Environment["GIT_TERMINAL_PROMPT"]);
    }

    [Fact]
    public async Task The_git_check_passes_when_Argo_CD_runs_the_commit_the_tag_points_at()
    {
        _api.On("GET", AppPath, App("Synced", "Healthy"));
        _runner.OnContaining("ls-remote", 0, ["eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\trefs/tags/sso-v1.0.0", "0123456789abcdef0123456789abcdef01234567\trefs/tags/sso-v1.0.0^{}"]);

        var outcome = await Live().FollowsGit();

        Assert.Equal(CheckStatus.Passed, outcome.Status);
    }

    [Theory]
    [InlineData("""{"status":"success","data":{"alerts":[{"labels":{"alertname":"Watchdog"},"state":"firing"}]}}""", false)]
    [InlineData("""{"status":"success","data":{"alerts":[{"labels":{"alertname":"PlatformTestAlert","test":"t1"},"state":"pending"}]}}""", false)]
    [InlineData("""{"status":"success","data":{"alerts":[{"labels":{"alertname":"PlatformTestAlert","test":"t1"},"state":"firing"}]}}""", true)]
    public void Only_the_test_alert_itself_firing_counts(string json, bool firing) => Assert.Equal(firing, MonitoringLive.Firing(json, "t1"));

    private sealed class AnswerHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public string? Asked { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked = request.RequestUri?.ToString();
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
        }
    }
}

/// <summary>Tests that change ApplicationLive.PollInterval run one at a time.</summary>
[CollectionDefinition(nameof(PollIntervalCollection), DisableParallelization = true)]
public sealed class PollIntervalCollection;
