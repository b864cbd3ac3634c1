using System.Text;
using System.Text.Json;
using Cake.Core.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy;
using Platform.Build.Tools;

namespace Platform.Build.ArgoCd;

/// <summary>
/// Task 3.2 against a real cluster: namespace (kubectl apply -k), the pinned
/// chart (helm upgrade --install), a watch until every Argo CD pod is Ready,
/// and the initial admin password into a 0600 file - never printed.
/// </summary>
public sealed class ArgoCdLive(BuildContext context)
{
    public const string Namespace = "argocd";
    public const string ServerProxy = "/api/v1/namespaces/argocd/services/https:argocd-server:https/proxy";

    public string PasswordFile => Path.Combine(context.Paths.Secrets, "argocd-admin-password");

    private string Kubeconfig => context.Credentials.Kubeconfig ?? throw new InvalidOperationException("no kubeconfig");


    public async Task<Outcome> Install(TimeSpan timeout)
    {
        ArgoCdInstall install;
        try
        {
            install = ArgoCdInstall.Load(context.Paths.Root, context.Options.EnvironmentName);
        }
        catch (DataFileException e)
        {
            return Outcome.Fail(e.Message);
        }

        var findings = install.Findings(context.Options.EnvironmentName);
        if (findings.Count > 0)
        {
            return Outcome.Fail($"not installing settings that break the platform's rules: {string.Join("; ", findings)}");
        }

        var folder = context.Paths.Combine(ArgoCdInstall.Folder);
        context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Kustomize = folder, StreamOutput = true }).EnsureSuccess();
        context.HelmUpgrade(UpgradeSettings(install)).EnsureSuccess();
        var ready = await WaitForPods(timeout).ConfigureAwait(false);
        if (ready.Status != CheckStatus.Passed)
        {
            return ready;
        }

        var saved = await SavePassword().ConfigureAwait(false);
        return Outcome.Pass($"Argo CD {install.Chart.AppVersion} (chart {install.Chart.Chart} {install.Chart.Version}) installed; {ready.Detail}; {saved}");
    }

    /// <summary>The helm command for --env: pinned chart by repository URL, common values then the environment's.</summary>
    public HelmUpgradeSettings UpgradeSettings(ArgoCdInstall install)
    {
        var settings = new HelmUpgradeSettings
        {
            Kubeconfig = Kubeconfig,
            Release = install.Chart.Release,
            Chart = install.Chart.Chart,
            Repo = install.Chart.Repository,
            Version = install.Chart.Version,
            Namespace = install.Chart.Namespace,
            // The build watches the pods itself, with progress; helm only installs.
            Wait = false,
            Atomic = false,
            StreamOutput = true,
        };
        settings.ValuesFiles.Add(context.Paths.Combine($"{ArgoCdInstall.Folder}/values.yaml"));
        settings.ValuesFiles.Add(context.Paths.Combine($"{ArgoCdInstall.Folder}/values-{context.Options.EnvironmentName}.yaml"));
        return settings;
    }

    /// <summary>Watches the namespace's pods until every one is Ready (or Succeeded), logging progress; Failed at the timeout with what is not ready.</summary>
    public async Task<Outcome> WaitForPods(TimeSpan timeout)
    {
        var client = context.Cluster;
        using var cancel = new CancellationTokenSource(timeout);
        var pods = new Dictionary<string, V1Pod>();
        var lastProgress = string.Empty;
        try
        {
            while (true)
            {
                var list = await client.CoreV1.ListNamespacedPodAsync(Namespace, cancellationToken: cancel.Token).ConfigureAwait(false);
                pods = list.Items.ToDictionary(p => p.Metadata.Name);
                if (Done(pods, ref lastProgress))
                {
                    return Outcome.Pass($"{pods.Count} pods in {Namespace} Ready");
                }

                // Watch from the list's version; the server ends a watch now and then (and a
                // connection can drop), so list again and go on until the deadline.
                try
                {
                    var watch = client.CoreV1.WatchListNamespacedPodAsync(Namespace,
                        resourceVersion: list.Metadata?.ResourceVersion, timeoutSeconds: (int)Math.Max(1, timeout.TotalSeconds), cancellationToken: cancel.Token);
                    await foreach (var (type, pod) in watch.ConfigureAwait(false))
                    {
                        if (type == WatchEventType.Deleted)
                        {
                            pods.Remove(pod.Metadata.Name);
                        }
                        else if (type is WatchEventType.Added or WatchEventType.Modified)
                        {
                            pods[pod.Metadata.Name] = pod;
                        }

                        if (Done(pods, ref lastProgress))
                        {
                            return Outcome.Pass($"{pods.Count} pods in {Namespace} Ready");
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !cancel.IsCancellationRequested)
                {
                    context.Log.Verbose("watch of {0} pods ended ({1}); listing again", Namespace, e.Message);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancel.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            var waiting = pods.Values.Select(PodState).Where(s => !s.Ready).Select(s => $"{s.Name} ({s.Why})").ToList();
            return Outcome.Fail($"not every pod in {Namespace} was Ready within {timeout.TotalSeconds:0} s: {(waiting.Count == 0 ? "no pods" : string.Join(", ", waiting))}");
        }
    }

    /// <summary>"All ArgoCD pods running": every pod of the namespace Running and Ready (completed jobs aside).</summary>
    public async Task<Outcome> PodsRunning()
    {
        var client = context.Cluster;
        var pods = (await client.CoreV1.ListNamespacedPodAsync(Namespace).ConfigureAwait(false)).Items;
        var states = pods.Select(PodState).ToList();
        var waiting = states.Where(s => !s.Ready).Select(s => $"{s.Name} ({s.Why})").ToList();
        if (states.Count == 0)
        {
            return Outcome.Fail($"no pods in {Namespace}: run ./build.sh --target=InstallArgoCd");
        }

        return Outcome.FromFindings(waiting, $"{states.Count} pods in {Namespace} Running and Ready");
    }

    /// <summary>"ArgoCD UI accessible": argocd-server answers its health endpoint through the API server's service proxy.</summary>
    public Task<Outcome> UiAccessible()
    {
        var result = context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{ServerProxy}/healthz" });
        return Task.FromResult(result.Succeeded && result.Text.Trim() == "ok"
            ? Outcome.Pass("argocd-server answers /healthz with ok (through the API server's service proxy)")
            : Outcome.Fail($"argocd-server /healthz did not answer ok: {result.Tail(3)}"));
    }

    /// <summary>"Can login with admin credentials": a session is created with the saved password; the token is discarded, never logged.</summary>
    public Task<Outcome> AdminLogin()
    {
        if (!File.Exists(PasswordFile))
        {
            return Task.FromResult(Outcome.Fail($"{context.Paths.Relative(PasswordFile)} does not exist: run ./build.sh --target=InstallArgoCd (it saves the initial password)"));
        }

        var body = Path.Combine(context.Paths.Secrets, $".session-{Guid.NewGuid():N}.json");
        try
        {
            SafeFile.WritePrivate(body, JsonSerializer.Serialize(new { username = "admin", password = File.ReadAllText(PasswordFile).Trim() }));
            var result = context.KubectlCreateRaw(new KubectlRawSettings { Kubeconfig = Kubeconfig, Path = $"{ServerProxy}/api/v1/session", BodyFile = body, SensitiveOutput = true });
            var ok = result.Succeeded && result.Text.Contains("\"token\"", StringComparison.Ordinal);
            return Task.FromResult(ok
                ? Outcome.Pass("admin logged in with the saved password (session token discarded)")
                : Outcome.Fail($"login as admin failed (exit {result.ExitCode}); if the password was rotated, update {context.Paths.Relative(PasswordFile)}"));
        }
        finally
        {
            File.Delete(body);
        }
    }

    /// <summary>"Manifests valid: kubectl --dry-run=server": the namespace and the rendered chart pass the API server's validation.</summary>
    public Task<Outcome> ServerDryRun()
    {
        ArgoCdInstall install;
        try
        {
            install = ArgoCdInstall.Load(context.Paths.Root, context.Options.EnvironmentName);
        }
        catch (DataFileException e)
        {
            return Task.FromResult(Outcome.Fail(e.Message));
        }

        var folder = context.Paths.Combine(ArgoCdInstall.Folder);
        var apply = context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Kustomize = folder, DryRun = "server" });
        if (!apply.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"{ArgoCdInstall.Folder}: {apply.Tail(5)}"));
        }

        var rendered = Path.Combine(context.Paths.Artifacts, "argocd", $"argocd-{context.Options.EnvironmentName}.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(rendered)!);
        ToolResult template;
        try
        {
            var upgrade = UpgradeSettings(install);
            var settings = new HelmTemplateSettings { Release = upgrade.Release, Chart = upgrade.Chart, Repo = upgrade.Repo, Version = upgrade.Version, Namespace = upgrade.Namespace };
            settings.ValuesFiles.AddRange(upgrade.ValuesFiles);
            template = context.HelmTemplate(settings);
        }
        catch (ToolNotFoundException e)
        {
            return Task.FromResult(Outcome.Skip($"the namespace passes a server dry run; the chart needs {e.Tool} to render: {e.Message}"));
        }

        if (!template.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"helm template {install.Chart.Chart} {install.Chart.Version}: {template.Tail(5)}"));
        }

        File.WriteAllText(rendered, template.Text);
        var chart = context.KubectlApply(new KubectlApplySettings { Kubeconfig = Kubeconfig, Files = { rendered }, DryRun = "server", Namespace = Namespace });
        return Task.FromResult(chart.Succeeded
            ? Outcome.Pass($"namespace and chart {install.Chart.Version} ({template.Output.Count(l => l.StartsWith("kind: ", StringComparison.Ordinal))} objects) pass a server-side dry run")
            : Outcome.Fail($"chart {install.Chart.Version}: {chart.Tail(5)}"));
    }

    public const string ProbePath = "kubernetes/argocd/probe";

    /// <summary>
    /// "Can create applications": an Application in the first organization's project,
    /// with no sync policy (compared, never synced), must reach a sync status without
    /// error conditions; it is deleted either way.
    /// </summary>
    public async Task<Outcome> ProbeApplication(TimeSpan timeout)
    {
        var catalog = TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        var org = catalog.Organizations[0];
        var name = $"platform-probe-{Guid.NewGuid().ToString("N")[..6]}";
        var app = ProbeApplicationObject(name, org.Name, catalog.Platform.RepoUrl, catalog.Platform.Server, org.Namespaces.First());
        var client = context.Cluster;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(app, "argoproj.io", "v1alpha1", Namespace, "applications").ConfigureAwait(false);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var json = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("argoproj.io", "v1alpha1", Namespace, "applications", name).ConfigureAwait(false);
                var (status, errors) = ProbeStatus(json);
                if (errors.Count > 0)
                {
                    return Outcome.Fail($"Argo CD refused the probe Application in project {org.Name}: {string.Join("; ", errors)}");
                }

                if (status is "Synced" or "OutOfSync")
                {
                    return Outcome.Pass($"an Application in project {org.Name} ({ProbePath} -> {org.Namespaces.First()}) was accepted and compared ({status}); deleted");
                }

                await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }

            return Outcome.Fail($"Argo CD did not compare the probe Application within {timeout.TotalSeconds:0} s");
        }
        finally
        {
            try
            {
                await client.CustomObjects.DeleteNamespacedCustomObjectAsync("argoproj.io", "v1alpha1", Namespace, "applications", name).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // already gone
            }
        }
    }

    /// <summary>The probe Application: no syncPolicy (Argo CD compares, never syncs), no finalizer (deleting it deletes nothing else).</summary>
    public static Application ProbeApplicationObject(string name, string project, string repoUrl, string server, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "platform-probe" } },
        Spec = new ApplicationSpec
        {
            Project = project,
            Source = new ApplicationSource { RepoUrl = repoUrl, Path = ProbePath, TargetRevision = "HEAD" },
            Destination = new ApplicationDestination { Server = server, Namespace = ns },
        },
    };

    /// <summary>The sync status Argo CD reported and its error conditions (InvalidSpecError, ComparisonError...).</summary>
    public static (string? Status, IReadOnlyList<string> Errors) ProbeStatus(JsonElement app)
    {
        string? status = null;
        var errors = new List<string>();
        if (app.TryGetProperty("status", out var s))
        {
            if (s.TryGetProperty("sync", out var sync) && sync.TryGetProperty("status", out var value))
            {
                status = value.GetString();
            }

            if (s.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array)
            {
                errors.AddRange(conditions.EnumerateArray()
                    .Where(c => c.GetProperty("type").GetString()?.EndsWith("Error", StringComparison.Ordinal) == true)
                    .Select(c => $"{c.GetProperty("type").GetString()}: {(c.TryGetProperty("message", out var m) ? m.GetString() : string.Empty)}"));
            }
        }

        return (status, errors);
    }

    /// <summary>Reads argocd-initial-admin-secret into a 0600 file; the password itself goes nowhere else.</summary>
    public async Task<string> SavePassword()
    {
        var client = context.Cluster;
        V1Secret secret;
        try
        {
            secret = await client.CoreV1.ReadNamespacedSecretAsync("argocd-initial-admin-secret", Namespace).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return File.Exists(PasswordFile)
                ? $"argocd-initial-admin-secret is gone (rotated?); keeping {context.Paths.Relative(PasswordFile)}"
                : "argocd-initial-admin-secret is gone (the password was rotated): log in with the current one";
        }

        if (secret.Data?.TryGetValue("password", out var bytes) != true)
        {
            return "argocd-initial-admin-secret holds no password";
        }

        Directory.CreateDirectory(context.Paths.Secrets);
        SafeFile.WritePrivate(PasswordFile, Encoding.UTF8.GetString(bytes!));
        context.Log.Information("Argo CD admin password saved to {0} (0600, never printed).", context.Paths.Relative(PasswordFile));
        return $"admin password in {context.Paths.Relative(PasswordFile)} (0600). Rotate it: `argocd account update-password`, then delete the Secret argocd-initial-admin-secret and this file";
    }

    /// <summary>Ready, or Succeeded (a finished job), with the reason it is not.</summary>
    public static (string Name, bool Ready, string Why) PodState(V1Pod pod)
    {
        var name = pod.Metadata.Name;
        if (pod.Status?.Phase == "Succeeded")
        {
            return (name, true, "completed");
        }

        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        if (ready && pod.Status?.Phase == "Running")
        {
            return (name, true, "ready");
        }

        var waiting = pod.Status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Reason).FirstOrDefault(r => r is not null);
        return (name, false, waiting ?? pod.Status?.Phase ?? "no status");
    }

    private bool Done(Dictionary<string, V1Pod> pods, ref string lastProgress)
    {
        var states = pods.Values.Select(PodState).ToList();
        var ready = states.Count(s => s.Ready);
        var waiting = states.Where(s => !s.Ready).Select(s => $"{s.Name} {s.Why}").Take(3).ToList();
        var progress = $"{Namespace}: {ready}/{states.Count} pods Ready{(waiting.Count > 0 ? $" (waiting: {string.Join(", ", waiting)})" : string.Empty)}";
        if (progress != lastProgress)
        {
            context.Log.Information(progress);
            lastProgress = progress;
        }

        return states.Count > 0 && ready == states.Count;
    }
}
