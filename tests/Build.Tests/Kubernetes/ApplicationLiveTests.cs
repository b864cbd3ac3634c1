using System.Net;
using System.Text.Json;
using Platform.Build.Checks;
using Platform.Build.Context;
using Platform.Build.Kubernetes.Apps;
using Platform.Build.Kubernetes.Monitoring;
using Platform.Build.Tests.Support;
using Xunit;

namespace Platform.Build.Tests.Kubernetes;

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

    private ApplicationLive Live(HttpMessageHandler? http = null, params string[] extra)
    {
        var context = PlatformContext.Create(_repo.Root, _runner, [$"--kubeconfig={_api.Kubeconfig(_repo.Root)}", "--env=prod", "--confirm=prod", .. extra]);
        return new ApplicationLive(context, TenantApplication.Sso, http);
    }

    private static string App(string sync, string health, string? phase = null, params object[] resources) => JsonSerializer.Serialize(new
    {
        apiVersion = "argoproj.io/v1alpha1",
        kind = "Application",
        metadata = new { name = "sso-prod", @namespace = "argocd" },
        spec = new { project = "org-a", source = new { repoURL = "https://github.com/example-org/platform.git", path = "kubernetes/apps/sso/overlays/prod", targetRevision = "sso-v1.0.0" } },
        status = new
        {
            sync = new { status = sync, revision = "0123456789abcdef0123456789abcdef01234567" },
            health = new { status = health },
            operationState = phase is null ? null : new { phase, message = phase == "Failed" ? "one or more objects failed to apply" : "ok" },
            history = new[] { new { id = 3L, revision = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }, new { id = 4L, revision = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" } },
            resources,
        },
    });

    [Fact]
    public async Task Deploy_applies_the_Application_starts_a_sync_through_its_operation_field_and_waits_until_Synced_and_Healthy()
    {
        _api.On("PATCH", AppPath, App("OutOfSync", "Progressing"))
            .On("GET", AppPath, App("Synced", "Healthy", "Succeeded"));

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
    }

    [Fact]
    public async Task A_failed_deployment_names_the_unhealthy_resources_and_the_exact_rollback_command()
    {
        var degraded = App("Synced", "Degraded", "Running",
            new { kind = "Deployment", name = "sso", @namespace = "org-a-prod", status = "Synced", health = new { status = "Degraded", message = "Deployment exceeded its progress deadline" } },
            new { kind = "Service", name = "sso", @namespace = "org-a-prod", status = "Synced", health = new { status = "Healthy" } });
        _api.On("PATCH", AppPath, degraded).On("GET", AppPath, degraded);

        var outcome = await Live().Deploy(TimeSpan.FromSeconds(1));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("sso-prod is sync Synced, health Degraded, operation Running", outcome.Detail);
        Assert.Contains("not healthy: Deployment/sso in org-a-prod Synced/Degraded: Deployment exceeded its progress deadline", outcome.Detail);
        Assert.DoesNotContain("Service/sso", outcome.Detail);
        Assert.EndsWith("Roll back: ./build.sh --target=RollbackApp --env=prod --confirm=prod --revision=3", outcome.Detail);
    }

    [Fact]
    public async Task A_failed_sync_operation_stops_the_wait_at_once()
    {
        _api.On("PATCH", AppPath, "{}").On("GET", AppPath, App("OutOfSync", "Missing", "Failed"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await Live().Deploy(TimeSpan.FromMinutes(5));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("operation Failed (one or more objects failed to apply)", outcome.Detail);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "a failed operation must not wait for the timeout");
    }

    [Fact]
    public async Task Rollback_turns_automated_sync_off_then_runs_argocd_app_rollback_in_core_mode()
    {
        _api.On("GET", AppPath, App("OutOfSync", "Healthy")).On("PATCH", AppPath, "{}");

        var outcome = await Live().Rollback(3, TimeSpan.FromSeconds(5));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("rolled back to history 3 (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) and Healthy; automated sync is off until ./build.sh --target=DeployApp --env=prod", outcome.Detail);
        var patch = _api.Requests.Single(r => r.Method == "PATCH");
        Assert.Equal("""{"spec":{"syncPolicy":{"automated":null}}}""", patch.Body);
        var rollback = Assert.Single(_runner.Starts);
        Assert.Equal("app rollback \"sso-prod\" --core 3 --timeout=5", rollback.Arguments);
        Assert.Equal(Path.Combine(_repo.Root, "kubeconfig"), rollback.Environment["KUBECONFIG"]);
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

        var outcome = await Live().Scraped();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("1 of 2 sso targets are down", outcome.Detail);
        var query = Assert.Single(_runner.Starts);
        Assert.Contains($"get --raw={ApplicationLive.PrometheusProxy}/api/v1/query?query=up%7Bjob%3D%22sso%22%2C%20namespace%3D%22org-a-prod%22%7D", query.Arguments);
    }

    [Fact]
    public async Task The_dashboard_check_runs_every_panel_query_for_the_namespace()
    {
        _runner.OnContaining("query?query=", 0, ["""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"3"]}]}}"""]);
        var dashboard = Dashboard.Load(_repo.Path(MonitoringChecks.DashboardFile), MonitoringChecks.DashboardFile);

        var outcome = await Live().DashboardShowsData(dashboard);

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Equal(dashboard.Queries.Count, _runner.Starts.Count);
        Assert.All(_runner.Starts, s => Assert.DoesNotContain("%24namespace", s.Arguments));
        Assert.All(_runner.Starts, s => Assert.Contains("org-a-prod", Uri.UnescapeDataString(s.Arguments)));
    }

    [Fact]
    public async Task An_Application_not_at_its_remotes_head_fails_the_git_check()
    {
        _api.On("GET", AppPath, App("Synced", "Healthy"));
        _runner.OnContaining("ls-remote", 0, ["ffffffffffffffffffffffffffffffffffffffff\trefs/tags/sso-v1.0.0"]);

        var outcome = await Live().FollowsGit();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("but sso-v1.0.0 is at ffffffffffffffffffffffffffffffffffffffff", outcome.Detail);
        var git = Assert.Single(_runner.Starts);
        Assert.Equal("ls-remote \"https://github.com/example-org/platform.git\" \"sso-v1.0.0\"", git.Arguments);
        Assert.Equal("0", git.Environment["GIT_TERMINAL_PROMPT"]);
    }

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
