using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy.Access;
using Platform.Build.Tools;

namespace Platform.Build.Tenancy;

/// <summary>
/// Tasks 3.3, 4.1 and 4.2 against a real cluster: server-side apply of the
/// rendered folders, then checks that what the repository declares is what
/// the cluster has - and two probes of the network: DNS from a tenant pod, and
/// a connection across organizations that must be refused.
/// </summary>
public sealed class TenantLive(BuildContext context)
{
    public const string ProbeImage = "registry.k8s.io/e2e-test-images/agnhost:2.47";
    public const string DnsImage = "docker.io/library/busybox:1.36.1";

    /// <summary>The cluster of --env: a live run touches only what is placed there.</summary>
    private string Cluster => context.Options.EnvironmentName;

    /// <summary>The catalog as --env's cluster sees it.</summary>
    internal TenantCatalog Catalog() => TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath).ForCluster(Cluster);


    /// <summary>kubectl apply --server-side -k of a repository folder, after the offline checks of it passed in this run.</summary>
    public Task<Outcome> Apply(string folder)
    {
        var render = context.Renders.Render(folder);
        if (!render.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"not applying {folder}: {render.Error}"));
        }

        var result = context.KubectlApply(new KubectlApplySettings { Kubeconfig = context.Credentials.Kubeconfig, Kustomize = context.Paths.Combine(folder), StreamOutput = true });
        return Task.FromResult(result.Succeeded
            ? Outcome.Pass($"{folder}: {render.Manifests.Count} objects applied (server-side, field manager platform-build)")
            : Outcome.Fail($"{folder}: {result.Tail(5)}"));
    }

    /// <summary>"Projects created in ArgoCD": each rendered AppProject exists with the repository's destinations, repositories and blacklist.</summary>
    public async Task<Outcome> ProjectsPresent()
    {
        var render = context.Renders.Render(TenantLayout.Projects(Cluster));
        if (!render.Succeeded)
        {
            return render.Failure;
        }

        var client = context.Cluster;
        var findings = new List<string>();
        foreach (var wanted in render.Objects<AppProject>())
        {
            AppProject live;
            try
            {
                var json = await client.CustomObjects.GetNamespacedCustomObjectAsync<System.Text.Json.JsonElement>("argoproj.io", "v1alpha1", "argocd", "appprojects", wanted.Metadata.Name).ConfigureAwait(false);
                live = KubernetesJson.Deserialize<AppProject>(json.GetRawText());
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                findings.Add($"AppProject {wanted.Metadata.Name} is not in the cluster: run ./build.sh --target=ConfigureArgoCdProjects");
                continue;
            }

            findings.AddRange(Differences(wanted, live));
        }

        return Outcome.FromFindings(findings, $"{render.Objects<AppProject>().Count()} AppProjects in argocd match the repository");
    }

    /// <summary>Where a live project differs from the repository's in what decides isolation.</summary>
    public static IEnumerable<string> Differences(AppProject wanted, AppProject live)
    {
        static string Key(IEnumerable<string>? items) => string.Join(",", (items ?? []).Order(StringComparer.Ordinal));
        var name = wanted.Metadata.Name;
        if (Key(wanted.Spec.SourceRepos) != Key(live.Spec.SourceRepos))
        {
            yield return $"AppProject {name}: sourceRepos in the cluster are {Key(live.Spec.SourceRepos)}";
        }

        if (Key(wanted.Spec.Destinations?.Select(d => $"{d.Server}|{d.Name}|{d.Namespace}")) != Key(live.Spec.Destinations?.Select(d => $"{d.Server}|{d.Name}|{d.Namespace}")))
        {
            yield return $"AppProject {name}: destinations in the cluster differ from the repository";
        }

        // What a tenant may create and whom Argo CD syncs as: a widened list or the controller as account is drift.
        if (Key(wanted.Spec.NamespaceResourceWhitelist?.Select(k => $"{k.Group}/{k.Kind}")) != Key(live.Spec.NamespaceResourceWhitelist?.Select(k => $"{k.Group}/{k.Kind}")))
        {
            yield return $"AppProject {name}: namespaceResourceWhitelist in the cluster differs from the repository";
        }

        if (Key(wanted.Spec.DestinationServiceAccounts?.Select(d => $"{d.Server}|{d.Namespace}|{d.DefaultServiceAccount}")) != Key(live.Spec.DestinationServiceAccounts?.Select(d => $"{d.Server}|{d.Namespace}|{d.DefaultServiceAccount}")))
        {
            yield return $"AppProject {name}: destinationServiceAccounts in the cluster differ from the repository (syncs may not run as the deployer)";
        }

        if (Key(wanted.Spec.NamespaceResourceBlacklist?.Select(k => $"{k.Group}/{k.Kind}")) != Key(live.Spec.NamespaceResourceBlacklist?.Select(k => $"{k.Group}/{k.Kind}"))
            || Key(wanted.Spec.ClusterResourceWhitelist?.Select(k => $"{k.Group}/{k.Kind}")) != Key(live.Spec.ClusterResourceWhitelist?.Select(k => $"{k.Group}/{k.Kind}")))
        {
            yield return $"AppProject {name}: resource white/blacklists in the cluster differ from the repository";
        }
    }

    /// <summary>"Namespaces created": every tenant namespace exists with its organization, environment and Pod Security labels.</summary>
    public async Task<Outcome> NamespacesPresent() => await Compare<V1Namespace>(TenantLayout.Namespaces(Cluster), async (client, wanted) =>
    {
        var live = await client.CoreV1.ReadNamespaceAsync(wanted.Metadata.Name).ConfigureAwait(false);
        return (wanted.Metadata.Labels ?? new Dictionary<string, string>())
            .Where(l => live.Metadata.Labels?.TryGetValue(l.Key, out var v) != true || v != l.Value)
            .Select(l => $"namespace {wanted.Metadata.Name}: label {l.Key} is not {l.Value}");
    }).ConfigureAwait(false);

    /// <summary>"ResourceQuotas applied": each quota exists with the repository's limits and the quota controller has taken it up (status.hard).</summary>
    public async Task<Outcome> QuotasApplied() => await Compare<V1ResourceQuota>(TenantLayout.Namespaces(Cluster), async (client, wanted) =>
    {
        var live = await client.CoreV1.ReadNamespacedResourceQuotaAsync(wanted.Metadata.Name, wanted.Metadata.NamespaceProperty).ConfigureAwait(false);
        var findings = new List<string>();
        foreach (var (key, quantity) in wanted.Spec.Hard)
        {
            if (live.Spec.Hard?.TryGetValue(key, out var actual) != true || actual!.ToDecimal() != quantity.ToDecimal())
            {
                findings.Add($"quota {wanted.Metadata.NamespaceProperty}/{wanted.Metadata.Name}: {key} differs from the repository");
            }
        }

        if (live.Status?.Hard is not { Count: > 0 })
        {
            findings.Add($"quota {wanted.Metadata.NamespaceProperty}/{wanted.Metadata.Name}: not yet enforced (no status.hard)");
        }

        return findings;
    }).ConfigureAwait(false);

    /// <summary>"LimitRanges active": each LimitRange exists in its namespace with the repository's container limits.</summary>
    public async Task<Outcome> LimitRangesActive() => await Compare<V1LimitRange>(TenantLayout.Namespaces(Cluster), async (client, wanted) =>
    {
        var live = await client.CoreV1.ReadNamespacedLimitRangeAsync(wanted.Metadata.Name, wanted.Metadata.NamespaceProperty).ConfigureAwait(false);
        var want = wanted.Spec.Limits.First(l => l.Type == "Container");
        var have = live.Spec.Limits?.FirstOrDefault(l => l.Type == "Container");
        return have?.Max?.TryGetValue("memory", out var memory) == true && memory.ToDecimal() == want.Max["memory"].ToDecimal()
            ? []
            : [$"limit range {wanted.Metadata.NamespaceProperty}/{wanted.Metadata.Name}: container limits differ from the repository"];
    }).ConfigureAwait(false);

    /// <summary>"Policies applied in every tenant namespace": each rendered NetworkPolicy exists where the repository puts it.</summary>
    public async Task<Outcome> PoliciesPresent() => await Compare<V1NetworkPolicy>(TenantLayout.NetworkPolicies(Cluster), async (client, wanted) =>
    {
        await client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(wanted.Metadata.Name, wanted.Metadata.NamespaceProperty).ConfigureAwait(false);

        // Present, and the tenant cannot take it away: its deployer may neither delete nor change it.
        var deployer = Subject.ServiceAccount(wanted.Metadata.NamespaceProperty, TenantLayout.Deployer);
        var findings = new List<string>();
        foreach (var verb in new[] { "delete", "patch" })
        {
            if (await TenantAccessLive.Allowed(client, deployer, new RbacRequest(verb, "networking.k8s.io", "networkpolicies", wanted.Metadata.NamespaceProperty, wanted.Metadata.Name)).ConfigureAwait(false))
            {
                findings.Add($"{wanted.Metadata.NamespaceProperty}/{wanted.Metadata.Name}: {deployer} may {verb} it");
            }
        }

        return findings;
    }).ConfigureAwait(false);

    /// <summary>"DNS resolution works": a restricted pod in the first tenant namespace resolves the API server's service name.</summary>
    public async Task<Outcome> DnsFromTenant(TimeSpan timeout)
    {
        var catalog = Catalog();
        if (!catalog.TenantNamespaces.Any())
        {
            return Outcome.Skip($"no tenant namespace is placed on the {Cluster} cluster");
        }

        var ns = catalog.TenantNamespaces.First();
        var client = context.Cluster;
        var pod = ProbePod("dns", DnsImage, ["nslookup", "kubernetes.default.svc.cluster.local"]);
        var (phase, log) = await RunToCompletion(client, ns, pod, timeout).ConfigureAwait(false);
        return phase == "Succeeded"
            ? Outcome.Pass($"a pod in {ns} resolved kubernetes.default.svc.cluster.local")
            : Outcome.Fail($"DNS from {ns} failed ({phase}): {log}");
    }

    /// <summary>
    /// "Only allowed traffic passes": a server in the first organization's first
    /// namespace; a client in the same namespace must connect (the control), one in
    /// another organization's namespace must not.
    /// </summary>
    public async Task<Outcome> CrossTenantRefused(TimeSpan timeout)
    {
        var catalog = Catalog();
        if (catalog.Organizations.Count < 2)
        {
            return Outcome.Skip($"needs two organizations on the {Cluster} cluster to try a connection between them");
        }

        var (home, away) = (catalog.Organizations[0].Namespaces.First(), catalog.Organizations[1].Namespaces.First());
        var client = context.Cluster;
        var server = ProbePod("server", ProbeImage, ["/agnhost", "netexec", "--http-port=8080"], port: 8080);
        await client.CoreV1.CreateNamespacedPodAsync(server, home).ConfigureAwait(false);
        try
        {
            var ip = await WaitForIp(client, home, server.Metadata.Name, timeout).ConfigureAwait(false);
            if (ip is null)
            {
                return Outcome.Fail($"the probe server in {home} did not start within {timeout.TotalSeconds:0} s");
            }

            var connect = new[] { "/agnhost", "connect", $"{ip}:8080", "--timeout=5s" };
            var (same, sameLog) = await RunToCompletion(client, home, ProbePod("client", ProbeImage, connect), timeout).ConfigureAwait(false);
            var (cross, _) = await RunToCompletion(client, away, ProbePod("client", ProbeImage, connect), timeout).ConfigureAwait(false);
            var findings = new List<string>();
            if (same != "Succeeded")
            {
                findings.Add($"a pod in {home} could not reach a pod of its own namespace ({same}: {sameLog}): the control failed, so the refusal below proves nothing");
            }

            if (cross == "Succeeded")
            {
                findings.Add($"a pod in {away} connected to a pod in {home}: traffic between organizations passes");
            }

            return Outcome.FromFindings(findings, $"{away} -> {home}:8080 refused; {home} -> {home}:8080 connected");
        }
        finally
        {
            await DeleteQuietly(client, home, server.Metadata.Name).ConfigureAwait(false);
        }
    }

    /// <summary>A pod the restricted profile admits, labelled as a probe, deleted after use.</summary>
    public static V1Pod ProbePod(string role, string image, IList<string> command, int? port = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = $"platform-probe-{role}-{Guid.NewGuid().ToString("N")[..6]}",
            Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "platform-probe", ["platform.example.com/probe"] = role },
        },
        Spec = new V1PodSpec
        {
            RestartPolicy = "Never",
            AutomountServiceAccountToken = false,
            SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 65534, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
            Containers =
            [
                new V1Container
                {
                    Name = role,
                    Image = image,
                    Command = command,
                    Ports = port is { } p ? [new V1ContainerPort { ContainerPort = p, Name = "http" }] : null,
                    SecurityContext = new V1SecurityContext { AllowPrivilegeEscalation = false, ReadOnlyRootFilesystem = true, Capabilities = new V1Capabilities { Drop = ["ALL"] } },
                },
            ],
        },
    };

    private async Task<Outcome> Compare<T>(string folder, Func<IKubernetes, T, Task<IEnumerable<string>>> check)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var render = context.Renders.Render(folder);
        if (!render.Succeeded)
        {
            return render.Failure;
        }

        var client = context.Cluster;
        var findings = new List<string>();
        var wanted = render.Objects<T>().ToList();
        foreach (var item in wanted)
        {
            try
            {
                findings.AddRange(await check(client, item).ConfigureAwait(false));
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                findings.Add($"{item.Kind} {item.Metadata.NamespaceProperty}/{item.Metadata.Name} is not in the cluster: apply {folder}");
            }
        }

        return Outcome.FromFindings(findings, $"{wanted.Count} {typeof(T).Name[2..]} objects from {folder} are in the cluster as declared");
    }

    private static async Task<(string Phase, string Log)> RunToCompletion(IKubernetes client, string ns, V1Pod pod, TimeSpan timeout)
    {
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns).ConfigureAwait(false);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var status = (await client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, ns).ConfigureAwait(false)).Status?.Phase;
                if (status is "Succeeded" or "Failed")
                {
                    var log = status == "Failed" ? await Log(client, ns, pod.Metadata.Name).ConfigureAwait(false) : string.Empty;
                    return (status, log);
                }

                await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }

            return ("Timeout", $"did not finish within {timeout.TotalSeconds:0} s");
        }
        finally
        {
            await DeleteQuietly(client, ns, pod.Metadata.Name).ConfigureAwait(false);
        }
    }

    private static async Task<string?> WaitForIp(IKubernetes client, string ns, string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(name, ns).ConfigureAwait(false);
            if (pod.Status?.Phase == "Running" && pod.Status.PodIP is { Length: > 0 } ip)
            {
                return ip;
            }

            await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<string> Log(IKubernetes client, string ns, string name)
    {
        try
        {
            using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(name, ns, tailLines: 5).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            return (await reader.ReadToEndAsync().ConfigureAwait(false)).ReplaceLineEndings(" | ").Trim();
        }
        catch (HttpOperationException)
        {
            return "no log";
        }
    }

    private static async Task DeleteQuietly(IKubernetes client, string ns, string name)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // already gone
        }
    }
}
