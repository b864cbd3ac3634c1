using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Network;
using Platform.Build.Kubernetes.Workloads;
using Platform.Build.Tenancy;

namespace Platform.Build.Apps;

/// <summary>
/// Offline checks of a tenant application (Task 4.3) on its rendered overlays:
/// what the cluster would receive, held to the restricted profile, the
/// reliability rules, references that resolve, its namespace's quota, the
/// network policies around it and the overlays' intended differences.
/// </summary>
public static class ApplicationChecks
{
    public static Outcome PodSecurity(BuildContext context, TenantApplication app) => ForEachOverlay(context, app, (env, render) =>
        WorkloadPolicy.PodSecurity(render).Select(f => $"{env}: {f}"),
        "non-root, no privilege escalation, all capabilities dropped, seccomp RuntimeDefault, read-only root, no host namespaces, paths or ports, no service account token, no literal secrets");

    public static Outcome Reliability(BuildContext context, TenantApplication app) => ForEachOverlay(context, app, (env, render) =>
        WorkloadPolicy.Reliability(render, minReplicas: env == "prod" ? 2 : 1, requireZoneSpread: env == "prod").Select(f => $"{env}: {f}"),
        "requests and limits, readiness and liveness probes, pinned images, a disruption budget; prod: 2+ replicas (its autoscaler's minimum) spread over zones");

    public static Outcome References(BuildContext context, TenantApplication app) => ForEachOverlay(context, app, (env, render) =>
        WorkloadPolicy.References(render).Select(f => $"{env}: {f}"),
        "the Service selects the pods and their ports, the Ingress reaches it over TLS, the autoscaler its Deployment, every ConfigMap, Secret and ServiceAccount exists (Secrets from the ExternalSecret)");

    /// <summary>Secrets are referenced, never contained: no Secret with data in the render, every ExternalSecret from the organization's ClusterSecretStore.</summary>
    public static Outcome SecretsReferenced(BuildContext context, TenantApplication app) => ForEachOverlay(context, app, (env, render) =>
    {
        var findings = new List<string>();
        findings.AddRange(render.Where(m => m.Object is V1Secret s && (s.Data is { Count: > 0 } || s.StringData is { Count: > 0 }))
            .Select(m => $"{env}: {m} carries secret data in git: fetch it with an ExternalSecret"));
        foreach (var manifest in render.Where(m => m.Object is ExternalSecret))
        {
            var store = ((ExternalSecret)manifest.Object).Spec.SecretStoreRef;
            if (store?.Kind != "ClusterSecretStore" || store.Name != app.Organization)
            {
                findings.Add($"{env}: {manifest} reads from {store?.Kind ?? "SecretStore"} {store?.Name}: tenants read only through their organization's ClusterSecretStore ({app.Organization})");
            }
        }

        return findings;
    }, $"no Secret data in git; every ExternalSecret reads through ClusterSecretStore {app.Organization}");

    /// <summary>Every Ingress host (rules and TLS) is one the organization owns in the catalog: the hosts admission policy's rule, offline.</summary>
    public static Outcome HostsOwned(BuildContext context, TenantApplication app) => TenantFiles.WithCatalog(context.Paths, catalog =>
    {
        var owner = catalog.OwnerOf(app.Namespace("dev")) ?? catalog.OwnerOf(app.Namespace("prod"));
        return ForEachOverlay(context, app, (env, render) =>
            TenantAccessChecks.HostFindings(catalog, app.Namespace(env), render).Select(f => $"{env}: {f}"),
            $"every Ingress host is {owner?.Name ?? app.Organization}'s in {TenantCatalog.RelativePath} ({string.Join(", ", owner?.Hosts ?? [])})");
    });

    /// <summary>
    /// The positive control of the admission policies: every object the application
    /// renders, created by its namespace's deployer (as Argo CD syncs it), is admitted
    /// by the policies of kubernetes/guardrails, evaluated in CEL. A policy too tight
    /// to let the platform's own tenant app through is as wrong as one too loose.
    /// </summary>
    public static Outcome Admitted(BuildContext context, TenantApplication app) => TenantFiles.WithCatalog(context.Paths, catalog =>
    {
        var guardrails = context.Renders.Render(TenantLayout.Guardrails);
        if (!guardrails.Succeeded)
        {
            return guardrails.Failure;
        }

        var admission = new Tenancy.Access.AdmissionModel(guardrails.Manifests.Select(m => (object)m.Object));
        var findings = new List<string>();
        var count = 0;
        foreach (var env in TenantApplication.Environments)
        {
            var ns = app.Namespace(env);
            var namespaces = context.Renders.Render(TenantLayout.Namespaces(catalog.ClusterOf(ns) ?? env));
            var render = context.Renders.Render(app.Overlay(env));
            if (!render.Succeeded || !namespaces.Succeeded)
            {
                return render.Succeeded ? namespaces.Failure : render.Failure;
            }

            var namespaceObject = namespaces.Objects<V1Namespace>().FirstOrDefault(n => n.Metadata.Name == ns);
            var deployer = Tenancy.Access.Subject.ServiceAccount(ns, TenantLayout.Deployer);
            foreach (var manifest in render.Manifests)
            {
                var resource = TenantLayout.Whitelist.FirstOrDefault(k => k.Group == manifest.Group && k.Kind == manifest.Kind)?.Resource ?? manifest.Kind.ToLowerInvariant() + "s";
                count++;
                findings.AddRange(admission.Denials(new Tenancy.Access.AdmissionRequest("CREATE", manifest.Group, resource, manifest.Namespace ?? ns, manifest.Name, manifest.Object, null, deployer, namespaceObject))
                    .Select(d => $"{env}: {manifest} is refused by {d}"));
            }
        }

        return Outcome.FromFindings(findings, $"{app.Name} dev and prod: all {count} rendered objects admitted by the {admission.Policies} admission policies when its deployer syncs them");
    });

    /// <summary>Every container within its namespace's largest container, and the most replicas within the namespace's quota.</summary>
    public static Outcome FitsQuota(BuildContext context, TenantApplication app) => TenantFiles.WithCatalog(context.Paths, catalog =>
    {
        var org = catalog.Organizations.FirstOrDefault(o => o.Name == app.Organization);
        if (org is null)
        {
            return Outcome.Fail($"{app.Name} runs for {app.Organization}, which {TenantCatalog.RelativePath} does not declare");
        }

        return ForEachOverlay(context, app, (env, render) =>
        {
            var environment = org.Environments.FirstOrDefault(e => e.Name == env);
            if (environment is null)
            {
                return [$"{env}: {org.Name} has no {env} environment in {TenantCatalog.RelativePath}"];
            }

            return QuotaFindings(render, environment).Select(f => $"{env}: {f}");
        }, "every container within its namespace's maximum, the most replicas within the quota's requests, limits and pods");
    });

    public static IEnumerable<string> QuotaFindings(IReadOnlyList<Manifest> render, TenantEnvironment environment)
    {
        var quota = environment.Size.Quota;
        var max = environment.Size.ContainerMax;
        decimal cpuRequests = 0, memoryRequests = 0, cpuLimits = 0, memoryLimits = 0;
        var pods = 0;
        var autoscalers = render.Select(m => m.Object).OfType<V2HorizontalPodAutoscaler>().ToList();
        static decimal Q(IDictionary<string, ResourceQuantity>? map, string key) => map?.TryGetValue(key, out var q) == true ? q.ToDecimal() : 0;
        foreach (var pod in PodTemplate.In(render))
        {
            var most = autoscalers.FirstOrDefault(h => h.Spec.ScaleTargetRef.Name == pod.Owner.Name && h.Spec.ScaleTargetRef.Kind == pod.Owner.Kind)?.Spec.MaxReplicas
                ?? pod.Replicas ?? 1;
            // A rolling update runs one pod more than asked (maxSurge 1).
            var count = most + (pod.Owner.Object is V1Deployment ? 1 : 0);
            pods += count;
            foreach (var container in pod.Spec.Containers)
            {
                var limits = container.Resources?.Limits;
                var requests = container.Resources?.Requests;
                if (Q(limits, "cpu") > new ResourceQuantity(max.Cpu).ToDecimal() || Q(limits, "memory") > new ResourceQuantity(max.Memory).ToDecimal())
                {
                    yield return $"{pod.Name} container {container.Name}: limits above the namespace's largest container ({max.Cpu} CPU, {max.Memory}): the LimitRange would refuse it";
                }

                cpuRequests += count * Q(requests, "cpu");
                memoryRequests += count * Q(requests, "memory");
                cpuLimits += count * Q(limits, "cpu");
                memoryLimits += count * Q(limits, "memory");
            }
        }

        foreach (var (what, used, hard) in new[]
        {
            ("requests.cpu", cpuRequests, new ResourceQuantity(quota.RequestsCpu).ToDecimal()),
            ("requests.memory", memoryRequests, new ResourceQuantity(quota.RequestsMemory).ToDecimal()),
            ("limits.cpu", cpuLimits, new ResourceQuantity(quota.LimitsCpu).ToDecimal()),
            ("limits.memory", memoryLimits, new ResourceQuantity(quota.LimitsMemory).ToDecimal()),
            ("pods", pods, (decimal)quota.Pods),
        })
        {
            if (used > hard)
            {
                yield return $"at its most replicas (and one surge pod) it needs {what} {used:0.###}, above the {environment.Size.Name} quota's {hard:0.###}: the last pods would be refused";
            }
        }
    }

    /// <summary>"Overlays differ from base only where intended": the rendered dev and prod compared field by field.</summary>
    public static Outcome OverlaysDifferAsIntended(BuildContext context, TenantApplication app)
    {
        var renders = TenantApplication.Environments.Select(e => context.Renders.Render(app.Overlay(e))).ToList();
        if (renders.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            return failed.Failure;
        }

        var differences = OverlayDiff.Compare(renders[0].Manifests, renders[1].Manifests);
        var unintended = OverlayDiff.Unintended(differences, app.Differences);
        return Outcome.FromFindings(unintended.Select(d => $"dev and prod differ where no overlay means to: {d}").ToList(),
            $"dev and prod differ in {differences.Count} fields, all intended: {string.Join("; ", app.Differences.Select(d => $"{d.Kind}/{d.Name} {d.Path} ({d.Why})").Distinct())}");
    }

    /// <summary>The application's configuration renders from the pod's environment and keeps its secrets out (Dex for sso).</summary>
    public static Outcome DexConfiguration(BuildContext context, TenantApplication app) => ForEachOverlay(context, app, (env, render) =>
        DexConfig.Findings(render).Select(f => $"{env}: {f}"),
        "the issuer is https on the Ingress's host, storage is shared (postgres, certificate verified), the password and client secrets come from Secrets, listen ports match the container's");

    /// <summary>No placeholder of the base survives in an overlay, and each overlay deploys into its environment's namespace.</summary>
    public static Outcome OverlaysComplete(BuildContext context, TenantApplication app)
    {
        var outcome = KubernetesChecks.RenderStrict(context, [.. TenantApplication.Environments.Select(app.Overlay)]);
        if (outcome.Status != CheckStatus.Passed)
        {
            return outcome;
        }

        var findings = new List<string>();
        foreach (var env in TenantApplication.Environments)
        {
            var render = context.Renders.Render(app.Overlay(env));
            findings.AddRange(render.Manifests.Where(m => m.Namespace != app.Namespace(env)).Select(m => $"{env}: {m} is not in {app.Namespace(env)}"));
            findings.AddRange(render.Manifests.Where(m => k8s.KubernetesJson.Serialize(m.Object).Contains("example.invalid", StringComparison.Ordinal))
                .Select(m => $"{env}: {m} keeps a placeholder of the base (example.invalid): set it in the overlay"));
        }

        return Outcome.FromFindings(findings, $"{outcome.Detail}; every object in its environment's namespace, no placeholder of the base left");
    }

    /// <summary>
    /// The network policies around the application, computed with its real pods:
    /// the ingress controller reaches its "http" port, Prometheus its "metrics" port,
    /// it reaches DNS and what its organization's egress exceptions name - nothing else.
    /// </summary>
    public static Outcome NetworkAdmission(BuildContext context, TenantApplication app) => TenantFiles.WithCatalog(context.Paths, catalog =>
    {
        var findings = new List<string>();
        var shown = new List<string>();
        foreach (var env in TenantApplication.Environments)
        {
            // The policies and namespaces of the cluster the environment's namespace is placed on.
            var cluster = catalog.ClusterOf(app.Namespace(env)) ?? env;
            var policies = context.Renders.Render(TenantLayout.NetworkPolicies(cluster));
            var namespaces = context.Renders.Render(TenantLayout.Namespaces(cluster));
            if (!policies.Succeeded || !namespaces.Succeeded)
            {
                return Outcome.Fail(policies.Error ?? namespaces.Error!);
            }

            var nsLabels = namespaces.Objects<V1Namespace>().ToDictionary(n => n.Metadata.Name, n => (IReadOnlyDictionary<string, string>)(n.Metadata.Labels ?? new Dictionary<string, string>()));
            var render = context.Renders.Render(app.Overlay(env));
            if (!render.Succeeded)
            {
                return render.Failure;
            }

            var workloads = Workloads(render.Manifests, nsLabels).ToList();
            var report = TenantIsolation.Evaluate(catalog.ForCluster(cluster), policies.Objects<V1NetworkPolicy>(), namespaces.Objects<V1Namespace>(), workloads, onlyWorkloads: true);
            findings.AddRange(report.Findings.Where(f => workloads.Any(w => f.Contains(w.Id, StringComparison.Ordinal))).Select(f => $"{env}: {f}"));

            var evaluator = new PolicyEvaluator(policies.Objects<V1NetworkPolicy>());
            var ingress = report.Endpoints.Single(e => e.Namespace == catalog.Platform.IngressController.Namespace);
            var prometheus = report.Endpoints.Single(e => e.Namespace == catalog.Platform.Monitoring.Namespace);
            foreach (var pod in workloads)
            {
                var service = render.Objects<V1Service>().FirstOrDefault(s => s.Spec.Selector?.All(l => pod.PodLabels.TryGetValue(l.Key, out var v) && v == l.Value) == true);
                foreach (var port in service?.Spec.Ports ?? [])
                {
                    // Every port its Service exposes must be open to whoever the port is for.
                    var target = pod.Ports.FirstOrDefault(p => p.Name == port.TargetPort?.Value || p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.TargetPort?.Value);
                    var from = target?.Name == "metrics" ? prometheus : ingress;
                    if (target is null || !evaluator.Allowed(from, pod).Contains("TCP", target.Port))
                    {
                        findings.Add($"{env}: {from.Id} cannot reach {pod.Id} on Service {service!.Metadata.Name}'s port {port.Name} ({target?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not a container port"}): label the pods for it or rename the port (http, metrics)");
                    }
                }

                var outside = report.Endpoints.Where(e => !e.IsPod).Select(e => (e.Name, Ports: evaluator.Allowed(pod, e))).Where(x => !x.Ports.IsEmpty).ToList();
                shown.Add($"{pod.Id} in from {ingress.Namespace} {evaluator.Allowed(ingress, pod)}, from {prometheus.Namespace} {evaluator.Allowed(prometheus, pod)}; out to {string.Join(", ", outside.Select(o => $"{o.Name} {o.Ports}").DefaultIfEmpty("nothing outside"))}");
            }
        }

        return Outcome.FromFindings(findings, string.Join("; ", shown));
    });

    /// <summary>One endpoint per pod template of the render: its namespace, labels and named container ports.</summary>
    public static IEnumerable<Endpoint> Workloads(IReadOnlyList<Manifest> render, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels)
    {
        foreach (var pod in PodTemplate.In(render))
        {
            var ns = pod.Owner.Namespace ?? "default";
            var ports = pod.Spec.Containers.SelectMany(c => c.Ports ?? []).Select(p => new ContainerPort(p.Name, p.ContainerPort, p.Protocol ?? "TCP")).ToArray();
            yield return Endpoint.Pod(ns, pod.Owner.Name, namespaceLabels.GetValueOrDefault(ns) ?? new Dictionary<string, string>(), pod.Labels, ports);
        }
    }

    /// <summary>The README names the commands, the overlays and where secrets come from.</summary>
    public static Outcome Readme(BuildContext context, TenantApplication app)
    {
        var path = context.Paths.Combine($"{app.Folder}/README.md");
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented($"{app.Folder}/README.md does not exist");
        }

        var text = File.ReadAllText(path);
        var findings = new[]
        {
            ($"kubectl kustomize {app.Overlay("dev")}", "how to render an overlay"),
            ("--target=DeployApp", "how to deploy"),
            ("--target=RollbackApp", "how to roll back"),
            ("overlays/prod", "what prod changes"),
            ("ExternalSecret", "where the secrets come from"),
            ("tenants.yaml", "where its network access is declared"),
        }.Where(n => !text.Contains(n.Item1, StringComparison.Ordinal)).Select(n => $"{app.Folder}/README.md does not say {n.Item2} ({n.Item1})").ToList();
        return Outcome.FromFindings(findings, $"{app.Folder}/README.md: rendering, deploying, rolling back, the overlays, secrets and network access");
    }

    private static Outcome ForEachOverlay(BuildContext context, TenantApplication app, Func<string, IReadOnlyList<Manifest>, IEnumerable<string>> check, string passed)
    {
        var findings = new List<string>();
        foreach (var env in TenantApplication.Environments)
        {
            var render = context.Renders.Render(app.Overlay(env));
            if (!render.Succeeded)
            {
                return render.Failure;
            }

            findings.AddRange(check(env, render.Manifests));
        }

        return Outcome.FromFindings(findings, $"{app.Name} dev and prod: {passed}");
    }
}
