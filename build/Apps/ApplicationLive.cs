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

    private string Env => context.Options.EnvironmentName;

    public string Name => app.ApplicationName(Env);

    public string File => $"kubernetes/argocd/applications/{Name}.yaml";

    private string Namespace => app.Namespace(Env);

    private string Kubeconfig => context.Credentials.Kubeconfig ?? throw new InvalidOperationException("no kubeconfig");


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

        var client = context.Cluster;
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
        var client = context.Cluster;
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
        var client = context.Cluster;
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
        var client = context.Cluster;
        var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
        return state.Sync == "Synced" && state.OperationPhase is null or "Succeeded"
            ? Outcome.Pass($"{Name} Synced at {state.Revision}")
            : Outcome.Fail($"{Name}: {state.Summary}{(state.OperationMessage is { } m ? $" ({m})" : string.Empty)}");
    }

    public async Task<Outcome> Healthy()
    {
        var client = context.Cluster;
        var state = ApplicationState.From(await Get(client).ConfigureAwait(false));
        return state.Health == "Healthy" && state.Unwell.Count == 0
            ? Outcome.Pass($"{Name} Healthy, every resource Synced and Healthy")
            : Outcome.Fail($"{Name}: {state.Summary}; {string.Join("; ", state.Unwell.DefaultIfEmpty("no resource reported"))}. Roll back: {RollbackCommand(state)}");
    }

    /// <summary>"Pods running": the application's pods in its namespace are Running and Ready.</summary>
    public async Task<Outcome> PodsRunning()
    {
        var client = context.Cluster;
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

        using var client = Http.Client(http);
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

    /// <summary>
    /// "Can perform updates via Git": Argo CD runs the commit that the Application's
    /// targetRevision names in the repository now (git ls-remote), so a pushed change is live.
    /// </summary>
    public async Task<Outcome> FollowsGit()
    {
        var definition = Definition();
        var client = context.Cluster;
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
