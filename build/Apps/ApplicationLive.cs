using System.Globalization;
using System.Text.Json;
using Cake.Core.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy;
using Platform.Build.Tools;

namespace Platform.Build.Apps;

/// <summary>What an Argo CD Application reports: sync and health, the operation, history, and the resources that are not well.</summary>
public sealed record ApplicationState(
    string? Sync,
    string? Health,
    string? Revision,
    string? OperationPhase,
    string? OperationMessage,
    IReadOnlyList<(long Id, string Revision)> History,
    IReadOnlyList<string> Unwell)
{
    /// <summary>An operation asked for and not yet taken up by the controller (the top-level <c>operation</c> field).</summary>
    public bool OperationPending { get; init; }

    /// <summary>When the controller started the last operation (<c>status.operationState.startedAt</c>), as Argo CD wrote it.</summary>
    public string? StartedAt { get; init; }

    /// <summary>The source of each history entry (JSON), for a rollback to it.</summary>
    public IReadOnlyDictionary<long, string> HistorySources { get; init; } = new Dictionary<long, string>();

    /// <summary>An operation is queued or running: another sync must wait.</summary>
    public bool Busy => OperationPending || OperationPhase is "Running" or "Terminating";

    public bool Done => Sync == "Synced" && Health == "Healthy" && OperationPhase is null or "Succeeded";

    public bool Broken => OperationPhase is "Failed" or "Error";

    public string Summary => $"sync {Sync ?? "unknown"}, health {Health ?? "unknown"}{(OperationPhase is null ? string.Empty : $", operation {OperationPhase}")}";

    public static ApplicationState From(JsonElement app)
    {
        string? Get(JsonElement e, params string[] path)
        {
            foreach (var key in path)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(key, out e))
                {
                    return null;
                }
            }

            return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        }

        var status = app.TryGetProperty("status", out var s) ? s : default;
        var history = new List<(long, string)>();
        var sources = new Dictionary<long, string>();
        var unwell = new List<string>();
        if (status.ValueKind == JsonValueKind.Object)
        {
            if (status.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in h.EnumerateArray())
                {
                    var id = entry.GetProperty("id").GetInt64();
                    history.Add((id, Get(entry, "revision") ?? "?"));
                    if (entry.TryGetProperty("source", out var source))
                    {
                        sources[id] = source.GetRawText();
                    }
                }
            }

            if (status.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in resources.EnumerateArray())
                {
                    var health = Get(r, "health", "status");
                    var sync = Get(r, "status");
                    if (health is not (null or "Healthy") || sync is not (null or "Synced"))
                    {
                        var where = Get(r, "namespace") is { } ns ? $" in {ns}" : string.Empty;
                        var message = Get(r, "health", "message") is { } m ? $": {m}" : string.Empty;
                        unwell.Add($"{Get(r, "kind")}/{Get(r, "name")}{where} {sync ?? "-"}/{health ?? "-"}{message}");
                    }
                }
            }
        }

        return new ApplicationState(Get(status, "sync", "status"), Get(status, "health", "status"), Get(status, "sync", "revision"),
            Get(status, "operationState", "phase"), Get(status, "operationState", "message"), history, unwell)
        {
            OperationPending = app.TryGetProperty("operation", out var operation) && operation.ValueKind == JsonValueKind.Object,
            StartedAt = Get(status, "operationState", "startedAt"),
            HistorySources = sources,
        };
    }
}

/// <summary>
/// A tenant application against a real cluster: server-side dry runs of its
/// overlay, its Argo CD Application applied and synced (through the
/// Application's operation field, no CLI needed) with a watch until Synced and
/// Healthy, the seed's rollback, and the checks that it runs, answers and is
/// observed. Everything acts on --env's Application only.
/// </summary>
public sealed class ApplicationLive(BuildContext context, TenantApplication app, HttpMessageHandler? http = null)
{
    public const string ArgoNamespace = "argocd";
    public const string PrometheusProxy = "/api/v1/namespaces/monitoring/services/http:kube-prometheus-stack-prometheus:http-web/proxy";
    public const string LokiProxy = "/api/v1/namespaces/monitoring/services/http:loki-gateway:http-metrics/proxy";
    public const string MonitoringStack = "kubernetes/monitoring/stack";

    private string Env => context.Options.EnvironmentName;

    public string Name => app.ApplicationName(Env);

    public string File => $"kubernetes/argocd/applications/{Name}.yaml";

    private string Namespace => app.Namespace(Env);

    private string Kubeconfig => context.Credentials.Kubeconfig ?? throw new InvalidOperationException("no kubeconfig");

    private IKubernetes Client() => new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));

    /// <summary>
    /// How to go back, printed when a deployment fails. Argo CD adds a history entry
    /// only for a sync that succeeded: after a failed sync the newest entry is still
    /// the last good one; after a sync that went through but left the application
    /// unhealthy, it is the one before.
    /// </summary>
    public string RollbackCommand(ApplicationState state)
    {
        var index = state.Broken ? 1 : 2;
        var previous = state.History.Count >= index ? state.History[^index].Id.ToString(CultureInfo.InvariantCulture) : "<id from: argocd app history " + Name + ">";
        return $"./build.sh --target=RollbackApp --env={Env}{(Env == "prod" ? " --confirm=prod" : string.Empty)} --revision={previous}";
    }

    /// <summary>"Manifests valid: kubectl --dry-run=server": the overlay of --env passes the API server's validation and admission.</summary>
    public Task<Outcome> ServerDryRun()
    {
        var overlay = app.Overlay(Env);
        var result = context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Kustomize = context.Paths.Combine(overlay), DryRun = "server" });
        return Task.FromResult(result.Succeeded
            ? Outcome.Pass($"{overlay}: {result.Output.Count} objects pass a server-side dry run (admission, Pod Security, quota)")
            : Outcome.Fail($"{overlay}: {result.Tail(5)}"));
    }

    /// <summary>The Application of --env as the repository defines it, parsed strictly.</summary>
    public Application Definition()
    {
        var path = context.Paths.Combine(File);
        if (!System.IO.File.Exists(path))
        {
            throw new ManifestException($"{File} does not exist: Task 4.4 defines one Application per environment");
        }

        return ManifestParser.Parse(System.IO.File.ReadAllText(path), File).Select(m => m.Object).OfType<Application>().SingleOrDefault()
            ?? throw new ManifestException($"{File}: holds no single Application");
    }

    /// <summary>Task 4.5: apply the Application, ask Argo CD for a sync, watch until Synced and Healthy (or say what is not, and how to roll back).</summary>
    public async Task<Outcome> Deploy(TimeSpan timeout)
    {
        var definition = Definition();

        // One run touches one cluster: only an Application whose namespace is placed on --env's.
        var catalog = TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        var destination = definition.Spec.Destination.Namespace ?? string.Empty;
        if (catalog.ClusterOf(destination) is { } placed && placed != Env)
        {
            return Outcome.Fail($"{File} deploys into {destination}, which {TenantCatalog.RelativePath} places on the {placed} cluster: run with --env={placed}");
        }

        var apply = context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Files = { context.Paths.Combine(File) }, StreamOutput = true });
        if (!apply.Succeeded)
        {
            return Outcome.Fail($"{File}: {apply.Tail(5)}");
        }

        using var client = Client();
        var before = await StartOperation(client, SyncOperation(definition)).ConfigureAwait(false);
        if (before.Status != CheckStatus.Passed)
        {
            return before;
        }

        context.Log.Information("{0}: sync of {1} requested; waiting up to {2:0} s for Synced and Healthy", Name, definition.Spec.Source?.TargetRevision, timeout.TotalSeconds);
        var state = await Wait(client, timeout, before.Detail, s => s.Done).ConfigureAwait(false);
        if (state.Done)
        {
            return Outcome.Pass($"{Name} Synced and Healthy at {state.Revision}");
        }

        var unwell = state.Unwell.Count > 0 ? $"; not healthy: {string.Join("; ", state.Unwell)}" : string.Empty;
        var why = state.OperationMessage is { } m ? $" ({m})" : string.Empty;
        return Outcome.Fail($"{Name} is {state.Summary}{why} after {timeout.TotalSeconds:0} s{unwell}. Roll back: {RollbackCommand(state)}");
    }

    /// <summary>
    /// Sets the Application's operation field, unless an operation is queued or running
    /// (Argo CD's API refuses a second one, and a merge would mix the two). Passed with
    /// the startedAt of the operation before, so the wait can tell the new one from it.
    /// </summary>
    private async Task<Outcome> StartOperation(IKubernetes client, string operation)
    {
        var current = ApplicationState.From(await Get(client).ConfigureAwait(false));
        if (current.Busy)
        {
            return BusyRefusal(current);
        }

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(operation, V1Patch.PatchType.MergePatch),
            "argoproj.io", "v1alpha1", ArgoNamespace, "applications", Name).ConfigureAwait(false);
        return Outcome.Pass(current.StartedAt ?? string.Empty);
    }

    /// <summary>The merge patch that starts a sync: the operation field, as the Argo CD API itself sets it.</summary>
    public static string SyncOperation(Application definition) => JsonSerializer.Serialize(new
    {
        operation = new
        {
            initiatedBy = new { username = "platform-build" },
            info = new[] { new { name = "Reason", value = "./build.sh --target=DeployApp" } },
            sync = new
            {
                revision = definition.Spec.Source?.TargetRevision ?? "HEAD",
                prune = definition.Spec.SyncPolicy?.Automated?.Prune ?? false,
                syncOptions = definition.Spec.SyncPolicy?.SyncOptions ?? [],
            },
        },
    });

    /// <summary>
    /// The seed's rollback (<c>argocd app rollback APP ID</c>), done the way Argo CD's API
    /// server does it: automated sync off (Argo CD refuses a rollback otherwise, and
    /// self-heal would undo it), then a sync to the history entry's revision and source.
    /// Automated sync stays off until the next DeployApp applies the Application from git.
    /// </summary>
    public async Task<Outcome> Rollback(long id, TimeSpan timeout)
    {
        using var client = Client();
        var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
        if (!state.History.Any(h => h.Id == id))
        {
            return Outcome.Fail($"--revision={id} is not in {Name}'s history ({string.Join(", ", state.History.Select(h => $"{h.Id}: {h.Revision}"))}): pick one of those ids");
        }

        if (state.Busy)
        {
            return BusyRefusal(state);
        }

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"syncPolicy":{"automated":null}}}""", V1Patch.PatchType.MergePatch),
            "argoproj.io", "v1alpha1", ArgoNamespace, "applications", Name).ConfigureAwait(false);
        context.Log.Warning("{0}: automated sync is off (Argo CD rolls back only then); the next DeployApp turns it on again from git.", Name);
        var target = state.History.First(h => h.Id == id).Revision;
        var started = await StartOperation(client, RollbackOperation(target, state.HistorySources.GetValueOrDefault(id))).ConfigureAwait(false);
        if (started.Status != CheckStatus.Passed)
        {
            return started;
        }

        var after = await Wait(client, timeout, started.Detail, s => s.Health == "Healthy" && s.OperationPhase == "Succeeded").ConfigureAwait(false);
        return after.Health == "Healthy" && after.OperationPhase == "Succeeded"
            ? Outcome.Pass($"{Name} rolled back to history {id} ({target}) and Healthy; automated sync is off until ./build.sh --target=DeployApp --env={Env} applies the Application again")
            : Outcome.Fail($"{Name} rolling back to history {id} ({target}) is {after.Summary}{(after.OperationMessage is { } m ? $" ({m})" : string.Empty)}: {string.Join("; ", after.Unwell.DefaultIfEmpty("no resource reported"))}");
    }

    private Outcome BusyRefusal(ApplicationState state) =>
        Outcome.Fail($"{Name} has an operation {(state.OperationPending ? "queued" : $"{state.OperationPhase} since {state.StartedAt}")}: wait for it to finish, or stop it (argocd app terminate-op {Name}), then run again");

    /// <summary>The operation of a rollback: a sync to an earlier revision and the source it was deployed from.</summary>
    public static string RollbackOperation(string revision, string? sourceJson)
    {
        object? source = sourceJson is null ? null : JsonDocument.Parse(sourceJson).RootElement.Clone();
        return JsonSerializer.Serialize(new
        {
            operation = new
            {
                initiatedBy = new { username = "platform-build" },
                info = new[] { new { name = "Reason", value = "./build.sh --target=RollbackApp" } },
                sync = new Dictionary<string, object?> { ["revision"] = revision, ["source"] = source }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value),
            },
        });
    }

    /// <summary>"Application appears in ArgoCD": it exists, in the project, with the path and revision of the repository's definition.</summary>
    public async Task<Outcome> Appears()
    {
        var definition = Definition();
        using var client = Client();
        JsonElement live;
        try
        {
            live = await Get(client).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return Outcome.Fail($"Application {Name} is not in Argo CD: run ./build.sh --target=DeployApp --env={Env}");
        }

        var spec = live.GetProperty("spec");
        var source = spec.GetProperty("source");
        var findings = new List<string>();
        void Same(string what, string? wanted, string? actual)
        {
            if (wanted != actual)
            {
                findings.Add($"{what} is '{actual}' in the cluster, '{wanted}' in {File}: run DeployApp to apply the definition");
            }
        }

        Same("project", definition.Spec.Project, spec.GetProperty("project").GetString());
        Same("path", definition.Spec.Source?.Path, source.TryGetProperty("path", out var p) ? p.GetString() : null);
        Same("targetRevision", definition.Spec.Source?.TargetRevision, source.TryGetProperty("targetRevision", out var r) ? r.GetString() : null);
        return Outcome.FromFindings(findings, $"{Name} is in Argo CD: project {definition.Spec.Project}, {definition.Spec.Source?.Path} at {definition.Spec.Source?.TargetRevision}");
    }

    public async Task<Outcome> Synced()
    {
        using var client = Client();
        var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
        return state.Sync == "Synced" && state.OperationPhase is null or "Succeeded"
            ? Outcome.Pass($"{Name} Synced at {state.Revision}")
            : Outcome.Fail($"{Name}: {state.Summary}{(state.OperationMessage is { } m ? $" ({m})" : string.Empty)}");
    }

    public async Task<Outcome> Healthy()
    {
        using var client = Client();
        var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
        return state.Health == "Healthy" && state.Unwell.Count == 0
            ? Outcome.Pass($"{Name} Healthy, every resource Synced and Healthy")
            : Outcome.Fail($"{Name}: {state.Summary}; {string.Join("; ", state.Unwell.DefaultIfEmpty("no resource reported"))}. Roll back: {RollbackCommand(state)}");
    }

    /// <summary>"Pods running": the application's pods in its namespace are Running and Ready.</summary>
    public async Task<Outcome> PodsRunning()
    {
        using var client = Client();
        var pods = (await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: $"app.kubernetes.io/name={app.Name}").ConfigureAwait(false)).Items;
        var states = pods.Select(ArgoCd.ArgoCdLive.PodState).ToList();
        if (states.Count == 0)
        {
            return Outcome.Fail($"no pods labelled app.kubernetes.io/name={app.Name} in {Namespace}");
        }

        return Outcome.FromFindings(states.Where(s => !s.Ready).Select(s => $"{s.Name}: {s.Why}").ToList(), $"{states.Count} {app.Name} pods in {Namespace} Running and Ready");
    }

    /// <summary>"Application accessible": its discovery document answers over HTTPS on the Ingress's host, naming that host as the issuer.</summary>
    public async Task<Outcome> Accessible()
    {
        var render = context.Renders.Render(app.Overlay(Env));
        var host = render.Objects<V1Ingress>().SelectMany(i => i.Spec.Rules ?? []).Select(r => r.Host).FirstOrDefault(h => h is not null);
        if (host is null)
        {
            return Outcome.Fail($"{app.Overlay(Env)} renders no Ingress host");
        }

        using var client = http is null ? new HttpClient() : new HttpClient(http, disposeHandler: false);
        client.Timeout = TimeSpan.FromSeconds(20);
        var url = $"https://{host}/.well-known/openid-configuration";
        try
        {
            using var response = await client.GetAsync(new Uri(url)).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return Outcome.Fail($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            var issuer = document.RootElement.TryGetProperty("issuer", out var i) ? i.GetString() : null;
            return issuer == $"https://{host}"
                ? Outcome.Pass($"{url} answers with issuer {issuer} (through the ingress, TLS verified)")
                : Outcome.Fail($"{url} names issuer '{issuer}', not https://{host}: clients would reject its tokens");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return Outcome.Fail($"{url}: {e.Message}");
        }
    }

    /// <summary>"Metrics being scraped": Prometheus has an up series for every pod of the application, and they are up.</summary>
    public Task<Outcome> Scraped()
    {
        var series = PromQuery($"up{{job=\"{app.Name}\", namespace=\"{Namespace}\"}}");
        if (series.Error is { } error)
        {
            return Task.FromResult(Outcome.Fail(error));
        }

        var down = series.Values.Count(v => v != "1");
        return Task.FromResult(series.Values.Count == 0
            ? Outcome.Fail($"Prometheus has no up{{job=\"{app.Name}\", namespace=\"{Namespace}\"}}: is the ServiceMonitor labelled release: kube-prometheus-stack and the metrics port open to monitoring?")
            : down > 0 ? Outcome.Fail($"{down} of {series.Values.Count} {app.Name} targets are down")
            : Outcome.Pass($"Prometheus scrapes {series.Values.Count} {app.Name} targets in {Namespace}, all up"));
    }

    /// <summary>"Logs centralized": Loki holds lines from the application's pods of the last 15 minutes.</summary>
    public Task<Outcome> LogsCentralized()
    {
        var query = Uri.EscapeDataString($"sum(count_over_time({{namespace=\"{Namespace}\", pod=~\"{app.Name}-.*\"}}[15m]))");
        var result = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{LokiProxy}/loki/api/v1/query?query={query}" });
        if (!result.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"Loki did not answer: {result.Tail(3)}"));
        }

        var lines = Values(result.Text).Values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : 0).Sum();
        return Task.FromResult(lines > 0
            ? Outcome.Pass($"Loki has {lines:0} log lines of {app.Name} in {Namespace} from the last 15 minutes")
            : Outcome.Fail($"Loki has no log line of {app.Name} in {Namespace} from the last 15 minutes: is Alloy running on every node?"));
    }

    /// <summary>"Metrics/logs flowing" (Task 4.5): both of the above.</summary>
    public async Task<Outcome> MetricsAndLogs() => Outcome.All(await Scraped().ConfigureAwait(false), await LogsCentralized().ConfigureAwait(false));

    /// <summary>Panels that must show data whenever the application runs: availability, traffic, latency.</summary>
    public static readonly IReadOnlyList<string> DataPanels = ["Replicas up", "Requests per second", "Latency"];

    /// <summary>"Dashboard shows data": every panel's queries run against Prometheus for --env's namespace, and the traffic and availability panels return data.</summary>
    public Task<Outcome> DashboardShowsData(Monitoring.Dashboard dashboard)
    {
        var empty = new List<string>();
        var failed = new List<string>();
        foreach (var (panel, expr) in dashboard.Queries)
        {
            var query = expr.Replace("$namespace", Namespace, StringComparison.Ordinal).Replace("$__rate_interval", "5m", StringComparison.Ordinal);
            var series = PromQuery(query);
            if (series.Error is { } error)
            {
                failed.Add($"{panel}: {error}");
            }
            else if (series.Values.Count == 0)
            {
                empty.Add(panel);
            }
        }

        // Errors and restarts may rightly be empty; availability and traffic may not (and a
        // renamed panel must not quietly drop out of what is required).
        var absent = DataPanels.Where(p => !dashboard.Queries.Any(q => q.Panel == p)).ToList();
        var mustShow = empty.Where(DataPanels.Contains).Distinct().ToList();
        return Task.FromResult(absent.Count > 0 ? Outcome.Fail($"{dashboard.File} has no panel {string.Join(", ", absent)}: keep them, or change ApplicationLive.DataPanels")
            : failed.Count > 0 ? Outcome.Fail($"queries that Prometheus refused: {string.Join("; ", failed)}")
            : mustShow.Count > 0 ? Outcome.Fail($"panels without data in {Namespace}: {string.Join(", ", mustShow)}")
            : Outcome.Pass($"{dashboard.Queries.Count} panel queries run for {Namespace}{(empty.Count > 0 ? $"; empty, as they may be: {string.Join(", ", empty)}" : string.Empty)}"));
    }

    /// <summary>"An alert fires in the cluster": a throwaway rule that always fires reaches Prometheus' firing alerts; it is deleted either way.</summary>
    public async Task<Outcome> AlertFires(TimeSpan timeout)
    {
        using var client = Client();
        var name = $"platform-test-alert-{Guid.NewGuid().ToString("N")[..6]}";
        var rule = new PrometheusRule
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "monitoring", Labels = new Dictionary<string, string> { ["release"] = "kube-prometheus-stack" } },
            Spec = new PrometheusRuleSpec
            {
                Groups =
                [
                    new RuleGroup
                    {
                        Name = name,
                        Rules = [new Rule { Alert = "PlatformTestAlert", Expr = "vector(1)", Labels = new() { ["severity"] = "none", ["test"] = name },
                            Annotations = new() { ["summary"] = "The build's test alert", ["description"] = "Created and deleted by ./build.sh --target=ConfigureMonitoring", ["runbook_url"] = "https://github.com/example-org/platform/blob/main/kubernetes/monitoring/README.md" } }],
                    },
                ],
            },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(rule, "monitoring.coreos.com", "v1", "monitoring", "prometheusrules").ConfigureAwait(false);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var alerts = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{PrometheusProxy}/api/v1/alerts" });
                if (alerts.Succeeded && Firing(alerts.Text, name))
                {
                    return Outcome.Pass($"PlatformTestAlert ({name}) fired in Prometheus; rule deleted");
                }

                await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }

            return Outcome.Fail($"PlatformTestAlert did not fire within {timeout.TotalSeconds:0} s: does Prometheus select PrometheusRules labelled release: kube-prometheus-stack?");
        }
        finally
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync("monitoring.coreos.com", "v1", "monitoring", "prometheusrules", name).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// "Can perform updates via Git": Argo CD runs the commit that the Application's
    /// targetRevision names in the repository now (git ls-remote), so a pushed change is live.
    /// </summary>
    public async Task<Outcome> FollowsGit()
    {
        var definition = Definition();
        using var client = Client();
        var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
        var repo = definition.Spec.Source?.RepoUrl ?? string.Empty;
        var revision = definition.Spec.Source?.TargetRevision ?? "HEAD";
        if (System.Text.RegularExpressions.Regex.IsMatch(revision, "^[0-9a-f]{40}$"))
        {
            return revision == state.Revision
                ? Outcome.Pass($"{Name} runs {revision[..12]}, the commit {File} pins")
                : Outcome.Fail($"{Name} runs {state.Revision ?? "nothing"}, but {File} pins {revision} ({state.Summary})");
        }

        // Exact refs only (a bare name would also match refs/heads/x/<name>); an annotated tag's commit is its ^{} line.
        var remote = context.GitLsRemote(repo, $"refs/heads/{revision}", $"refs/tags/{revision}", $"refs/tags/{revision}^{{}}");
        if (!remote.Succeeded)
        {
            return Outcome.Skip($"git ls-remote {repo} {revision} failed ({remote.Tail(1)}): compare Argo CD's revision {state.Revision} with the repository by hand");
        }

        var refs = remote.Output.Select(l => l.Split('\t')).Where(p => p.Length == 2).ToDictionary(p => p[1], p => p[0]);
        var head = refs.GetValueOrDefault($"refs/tags/{revision}^{{}}") ?? refs.GetValueOrDefault($"refs/tags/{revision}") ?? refs.GetValueOrDefault($"refs/heads/{revision}");
        return head is null ? Outcome.Fail($"{repo} has no branch or tag {revision}: fix targetRevision in {File}")
            : head == state.Revision ? Outcome.Pass($"{Name} runs {head[..12]}, the commit {revision} names in {repo}: pushed changes are synced")
            : Outcome.Fail($"{Name} runs {state.Revision ?? "nothing"}, but {revision} is at {head} in {repo}: Argo CD has not synced the latest push ({state.Summary})");
    }

    /// <summary>Task 4.6's action: the monitoring stack's Applications (server-side apply); Argo CD installs the charts.</summary>
    public Task<Outcome> ApplyMonitoringStack()
    {
        var render = context.Renders.Render(MonitoringStack);
        if (!render.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"not applying {MonitoringStack}: {render.Error}"));
        }

        var result = context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Kustomize = context.Paths.Combine(MonitoringStack), StreamOutput = true });
        return Task.FromResult(result.Succeeded
            ? Outcome.Pass($"{MonitoringStack}: {string.Join(", ", render.Manifests.Select(m => m.Name))} applied (server-side); Argo CD installs them")
            : Outcome.Fail($"{MonitoringStack}: {result.Tail(5)}"));
    }

    /// <summary>Whether Prometheus' /api/v1/alerts lists the alert with label test=<paramref name="test"/> as firing (not just any firing alert, such as the Watchdog).</summary>
    public static bool Firing(string json, string test)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray().Any(a =>
                a.GetProperty("state").GetString() == "firing"
                && a.GetProperty("labels").TryGetProperty("test", out var label) && label.GetString() == test);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    private (IReadOnlyList<string> Values, string? Error) PromQuery(string query)
    {
        var result = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{PrometheusProxy}/api/v1/query?query={Uri.EscapeDataString(query)}" });
        return result.Succeeded ? Values(result.Text) : ([], $"Prometheus did not answer: {result.Tail(3)}");
    }

    /// <summary>The sample values of a Prometheus (or Loki) instant-query answer.</summary>
    public static (IReadOnlyList<string> Values, string? Error) Values(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                return ([], root.TryGetProperty("error", out var e) ? e.GetString() : "query failed");
            }

            var result = root.GetProperty("data").GetProperty("result");
            return ([.. result.EnumerateArray().Select(r => r.GetProperty("value")[1].GetString() ?? string.Empty)], null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ([], $"not a query answer: {e.Message}");
        }
    }

    private async Task<JsonElement> Get(IKubernetes client) =>
        await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("argoproj.io", "v1alpha1", ArgoNamespace, "applications", Name).ConfigureAwait(false);

    /// <summary>
    /// Polls the Application until the operation asked for has been taken up (no
    /// pending operation, a startedAt other than <paramref name="previousStart"/>) and
    /// then until <paramref name="done"/>, that operation failed, or the timeout; logs
    /// each change. The status before the controller starts is the last run's, never the answer.
    /// </summary>
    private async Task<ApplicationState> Wait(IKubernetes client, TimeSpan timeout, string previousStart, Func<ApplicationState, bool> done)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = string.Empty;
        while (true)
        {
            var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
            var current = !state.OperationPending && state.StartedAt is { Length: > 0 } started && started != previousStart;
            var progress = current
                ? $"{Name}: {state.Summary}{(state.Unwell.Count > 0 ? $" (waiting for {string.Join(", ", state.Unwell.Take(3))})" : string.Empty)}"
                : $"{Name}: waiting for Argo CD to start the operation";
            if (progress != last)
            {
                context.Log.Information(progress);
                last = progress;
            }

            if (current && (done(state) || state.Broken))
            {
                return state;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return current ? state : state with { OperationPhase = "not started", OperationMessage = "Argo CD did not take up the operation: is the application controller running?" };
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>How often the wait asks Argo CD (tests shorten it).</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
