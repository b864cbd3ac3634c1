using System.Text.RegularExpressions;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Kubernetes.Workloads;

/// <summary>One rule a workload breaks: a stable rule id (for suppressing or searching), where, and the fix.</summary>
public sealed record WorkloadFinding(string Rule, string Where, string Problem)
{
    public override string ToString() => $"{Where}: {Problem} [{Rule}]";
}

/// <summary>
/// The checks a workload must pass before a tenant may ship it, on the
/// rendered objects (what the cluster would receive). Pod security follows the
/// Kubernetes "restricted" profile plus what the policy checkers add (read-only
/// root, no token, no literal secrets); reliability follows kube-score's and
/// Polaris' families (resources, probes, pinned images, replicas with a
/// disruption budget and spread); references must resolve inside the render.
/// </summary>
public static partial class WorkloadPolicy
{
    /// <summary>The "restricted" profile and its neighbours, per pod template and container.</summary>
    public static IReadOnlyList<WorkloadFinding> PodSecurity(IEnumerable<Manifest> manifests)
    {
        var findings = new List<WorkloadFinding>();
        foreach (var pod in PodTemplate.In(manifests))
        {
            void Add(string rule, string problem) => findings.Add(new WorkloadFinding(rule, $"{pod.Name} ({pod.Owner.Where})", problem));
            var spec = pod.Spec;
            var podContext = spec.SecurityContext;
            if (spec.HostNetwork == true || spec.HostPID == true || spec.HostIPC == true)
            {
                Add("host-namespaces", "shares the node's network, PID or IPC namespace: remove hostNetwork/hostPID/hostIPC");
            }

            foreach (var volume in spec.Volumes ?? [])
            {
                if (volume.HostPath is not null)
                {
                    Add("host-path", $"volume {volume.Name} mounts {volume.HostPath.Path} from the node: use a PVC, ConfigMap, Secret or emptyDir");
                }
                else if (volume.ConfigMap is null && volume.Csi is null && volume.DownwardAPI is null && volume.EmptyDir is null && volume.Ephemeral is null
                    && volume.PersistentVolumeClaim is null && volume.Projected is null && volume.Secret is null)
                {
                    Add("volume-type", $"volume {volume.Name} is of a type the restricted profile refuses: use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or a PVC");
                }
            }

            if (podContext?.RunAsUser == 0)
            {
                Add("run-as-non-root", "the pod runs as user 0: pick a non-zero runAsUser");
            }

            foreach (var sysctl in (podContext?.Sysctls ?? []).Where(x => !SafeSysctls.Contains(x.Name)))
            {
                Add("sysctls", $"sets sysctl {sysctl.Name}, which is not one of the safe ones the baseline profile allows");
            }

            if (podContext?.AppArmorProfile?.Type == "Unconfined")
            {
                Add("apparmor", "runs without AppArmor (Unconfined): use RuntimeDefault");
            }

            // automountServiceAccountToken on the pod wins over the ServiceAccount's; require it on the pod.
            if (spec.AutomountServiceAccountToken != false)
            {
                Add("service-account-token", "mounts a service account token: set automountServiceAccountToken: false unless the pod calls the Kubernetes API");
            }

            foreach (var container in pod.Containers)
            {
                var c = container.SecurityContext;
                var who = $"container {container.Name}";
                if ((c?.RunAsNonRoot ?? podContext?.RunAsNonRoot) != true)
                {
                    Add("run-as-non-root", $"{who} may run as root: set securityContext.runAsNonRoot: true");
                }

                if (c?.RunAsUser == 0)
                {
                    Add("run-as-non-root", $"{who} runs as user 0: pick a non-zero runAsUser");
                }

                if (c?.ProcMount is { } procMount && procMount != "Default")
                {
                    Add("proc-mount", $"{who} unmasks /proc (procMount {procMount}): leave it Default");
                }

                if (c?.AppArmorProfile?.Type == "Unconfined")
                {
                    Add("apparmor", $"{who} runs without AppArmor (Unconfined): use RuntimeDefault");
                }

                if (c?.Privileged == true)
                {
                    Add("privileged", $"{who} is privileged: remove securityContext.privileged");
                }

                if (c?.AllowPrivilegeEscalation != false)
                {
                    Add("privilege-escalation", $"{who} may gain privileges: set securityContext.allowPrivilegeEscalation: false");
                }

                var drop = c?.Capabilities?.Drop ?? [];
                if (!drop.Any(d => d.Equals("ALL", StringComparison.OrdinalIgnoreCase)))
                {
                    Add("capabilities", $"{who} keeps Linux capabilities: set securityContext.capabilities.drop: [ALL]");
                }

                var added = (c?.Capabilities?.Add ?? []).Where(a => !a.Equals("NET_BIND_SERVICE", StringComparison.OrdinalIgnoreCase)).ToList();
                if (added.Count > 0)
                {
                    Add("capabilities", $"{who} adds {string.Join(", ", added)}: the restricted profile allows only NET_BIND_SERVICE");
                }

                var seccomp = c?.SeccompProfile?.Type ?? podContext?.SeccompProfile?.Type;
                if (seccomp is not ("RuntimeDefault" or "Localhost"))
                {
                    Add("seccomp", $"{who} has no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault");
                }

                if (c?.ReadOnlyRootFilesystem != true)
                {
                    Add("read-only-root", $"{who} can write its root filesystem: set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it must write)");
                }

                foreach (var port in (container.Ports ?? []).Where(p => p.HostPort is > 0))
                {
                    Add("host-port", $"{who} binds host port {port.HostPort}: remove hostPort and use a Service");
                }

                foreach (var env in (container.Env ?? []).Where(e => e.ValueFrom is null && !string.IsNullOrEmpty(e.Value) && SecretName().IsMatch(e.Name)))
                {
                    Add("secret-in-env", $"{who} sets {env.Name} to a literal value: take it from a Secret (valueFrom.secretKeyRef)");
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// Reliability of each workload: requests and limits, probes, a pinned image,
    /// at least <paramref name="minReplicas"/> replicas (the autoscaler's minimum
    /// when one targets it) with a disruption budget, and - when
    /// <paramref name="requireZoneSpread"/> - a hard spread over zones.
    /// </summary>
    public static IReadOnlyList<WorkloadFinding> Reliability(IEnumerable<Manifest> manifests, int minReplicas, bool requireZoneSpread)
    {
        var all = manifests.ToList();
        var findings = new List<WorkloadFinding>();
        var autoscalers = all.Select(m => m.Object).OfType<V2HorizontalPodAutoscaler>().ToList();
        var budgets = all.Select(m => m.Object).OfType<V1PodDisruptionBudget>().ToList();
        foreach (var pod in PodTemplate.In(all))
        {
            void Add(string rule, string problem) => findings.Add(new WorkloadFinding(rule, $"{pod.Name} ({pod.Owner.Where})", problem));
            foreach (var container in pod.Spec.Containers ?? [])
            {
                var who = $"container {container.Name}";
                var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
                var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
                var missing = new[] { ("requests", "cpu", requests), ("requests", "memory", requests), ("limits", "cpu", limits), ("limits", "memory", limits) }
                    .Where(r => !r.Item3.ContainsKey(r.Item2)).Select(r => $"{r.Item1}.{r.Item2}").ToList();
                if (missing.Count > 0)
                {
                    Add("resources", $"{who} sets no {string.Join(", ", missing)}: the scheduler and the quota need both requests and limits");
                }

                if (container.ReadinessProbe is null)
                {
                    Add("readiness-probe", $"{who} has no readinessProbe: traffic would reach it before it can answer");
                }

                if (container.LivenessProbe is null)
                {
                    Add("liveness-probe", $"{who} has no livenessProbe: a hung process would never be restarted");
                }

                if (ImageProblem(container.Image) is { } image)
                {
                    Add("image-pinned", $"{who}: {image}");
                }
            }

            if (pod.Owner.Object is not (V1Deployment or V1StatefulSet))
            {
                continue;
            }

            var autoscaler = autoscalers.FirstOrDefault(h => h.Spec.ScaleTargetRef.Kind == pod.Owner.Kind && h.Spec.ScaleTargetRef.Name == pod.Owner.Name
                && h.Metadata.NamespaceProperty == pod.Owner.Namespace);
            var replicas = autoscaler is not null ? autoscaler.Spec.MinReplicas ?? 1 : pod.Replicas ?? 1;
            if (replicas < minReplicas)
            {
                Add("replicas", $"runs {replicas} replica{(replicas == 1 ? string.Empty : "s")}{(autoscaler is null ? string.Empty : $" at least (HorizontalPodAutoscaler/{autoscaler.Metadata.Name})")}: at least {minReplicas} keep it up through a node or a rollout");
            }

            if (autoscaler is not null && pod.Replicas is not null)
            {
                Add("replicas", $"sets spec.replicas and HorizontalPodAutoscaler/{autoscaler.Metadata.Name} scales it: leave replicas out, or every sync resets the autoscaler");
            }

            // policy/v1: an empty selector selects every pod of the namespace.
            var budget = budgets.FirstOrDefault(b => b.Metadata.NamespaceProperty == pod.Owner.Namespace && b.Spec.Selector is { } selector
                && Network.PolicyEvaluator.Selects(selector, pod.Labels));
            if (budget is null)
            {
                Add("disruption-budget", "no PodDisruptionBudget selects its pods: a drain could take them all at once");
            }
            else if (budget.Spec.MaxUnavailable?.Value is "0" or "0%" || budget.Spec.MinAvailable?.Value is "100%"
                || budget.Spec.MinAvailable?.Value is { } min && int.TryParse(min, out var m) && m >= replicas)
            {
                Add("disruption-budget", $"PodDisruptionBudget/{budget.Metadata.Name} allows no disruption: nodes could never be drained");
            }

            if (requireZoneSpread && !(pod.Spec.TopologySpreadConstraints ?? []).Any(t =>
                    t.TopologyKey == "topology.kubernetes.io/zone" && t.WhenUnsatisfiable == "DoNotSchedule" && Selects(t.LabelSelector, pod.Labels)))
            {
                Add("zone-spread", "does not spread its pods over zones (topologySpreadConstraints on topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, selecting its pods)");
            }
        }

        return findings;
    }

    /// <summary>References that must resolve in the render: Service to pods and ports, Ingress to Service and TLS, HPA to its target, ConfigMaps, Secrets and the ServiceAccount.</summary>
    public static IReadOnlyList<WorkloadFinding> References(IEnumerable<Manifest> manifests)
    {
        var all = manifests.ToList();
        var findings = new List<WorkloadFinding>();
        var pods = PodTemplate.In(all).ToList();
        var configMaps = all.Where(m => m.Object is V1ConfigMap).Select(m => (m.Namespace, m.Name)).ToHashSet();
        // A Secret may be rendered, or made in the cluster by an ExternalSecret of the render.
        var secrets = all.Where(m => m.Object is V1Secret).Select(m => (m.Namespace, m.Name))
            .Concat(all.Select(m => (m, m.Object as ExternalSecret)).Where(x => x.Item2 is not null).Select(x => (x.m.Namespace, x.Item2!.Spec.Target?.Name ?? x.m.Name)))
            .ToHashSet();
        var accounts = all.Where(m => m.Object is V1ServiceAccount).Select(m => (m.Namespace, m.Name)).ToHashSet();
        void Add(Manifest where, string rule, string problem) => findings.Add(new WorkloadFinding(rule, $"{where.Kind}/{where.Name} ({where.Where})", problem));

        foreach (var pod in pods)
        {
            var ns = pod.Owner.Namespace;
            var account = pod.Spec.ServiceAccountName;
            if (account is { Length: > 0 } && account != "default" && !accounts.Contains((ns, account)))
            {
                Add(pod.Owner, "reference", $"uses ServiceAccount {account}, which the render does not have");
            }

            foreach (var container in pod.Containers)
            {
                foreach (var from in container.EnvFrom ?? [])
                {
                    if (from.ConfigMapRef is { } cm && cm.Optional != true && !configMaps.Contains((ns, cm.Name)))
                    {
                        Add(pod.Owner, "reference", $"container {container.Name} takes its environment from ConfigMap {cm.Name}, which the render does not have");
                    }

                    if (from.SecretRef is { } sr && sr.Optional != true && !secrets.Contains((ns, sr.Name)))
                    {
                        Add(pod.Owner, "reference", $"container {container.Name} takes its environment from Secret {sr.Name}, which nothing in the render provides");
                    }
                }

                foreach (var env in container.Env ?? [])
                {
                    if (env.ValueFrom?.SecretKeyRef is { } key && key.Optional != true && !secrets.Contains((ns, key.Name)))
                    {
                        Add(pod.Owner, "reference", $"container {container.Name} reads {env.Name} from Secret {key.Name}, which nothing in the render provides");
                    }

                    if (env.ValueFrom?.ConfigMapKeyRef is { } cmKey && cmKey.Optional != true && !configMaps.Contains((ns, cmKey.Name)))
                    {
                        Add(pod.Owner, "reference", $"container {container.Name} reads {env.Name} from ConfigMap {cmKey.Name}, which the render does not have");
                    }
                }
            }

            foreach (var volume in pod.Spec.Volumes ?? [])
            {
                if (volume.ConfigMap is { } cm && cm.Optional != true && !configMaps.Contains((ns, cm.Name)))
                {
                    Add(pod.Owner, "reference", $"volume {volume.Name} mounts ConfigMap {cm.Name}, which the render does not have");
                }

                if (volume.Secret is { } s && s.Optional != true && !secrets.Contains((ns, s.SecretName)))
                {
                    Add(pod.Owner, "reference", $"volume {volume.Name} mounts Secret {s.SecretName}, which nothing in the render provides");
                }
            }
        }

        var services = all.Where(m => m.Object is V1Service).ToList();
        foreach (var manifest in services)
        {
            var service = (V1Service)manifest.Object;
            if (service.Spec.Selector is not { Count: > 0 } selector)
            {
                continue; // a Service without a selector has its endpoints managed by hand
            }

            var selected = pods.Where(p => p.Owner.Namespace == manifest.Namespace && selector.All(l => p.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
            if (selected.Count == 0)
            {
                Add(manifest, "reference", $"selects no pods ({string.Join(", ", selector.Select(l => $"{l.Key}={l.Value}"))})");
                continue;
            }

            foreach (var port in service.Spec.Ports ?? [])
            {
                var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var found = selected.Any(p => p.Spec.Containers.Any(c => (c.Ports ?? []).Any(cp =>
                    cp.Name == target || cp.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == target)));
                if (!found)
                {
                    Add(manifest, "reference", $"port {port.Name ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} targets {target}, which no selected container declares");
                }
            }
        }

        foreach (var manifest in all.Where(m => m.Object is V1Ingress))
        {
            var ingress = (V1Ingress)manifest.Object;
            var tlsHosts = (ingress.Spec.Tls ?? []).SelectMany(t => t.Hosts ?? []).ToHashSet();
            foreach (var rule in ingress.Spec.Rules ?? [])
            {
                if (rule.Host is not { Length: > 0 } host)
                {
                    Add(manifest, "ingress-tls", "a rule without host answers any name, over plain HTTP: give it the host its certificate names");
                }
                else if (!tlsHosts.Contains(host))
                {
                    Add(manifest, "ingress-tls", $"serves {host} without TLS: list it under spec.tls with a secretName");
                }

                foreach (var path in rule.Http?.Paths ?? [])
                {
                    var backend = path.Backend?.Service;
                    var target = services.Select(s => (Manifest: s, Service: (V1Service)s.Object))
                        .FirstOrDefault(s => s.Manifest.Namespace == manifest.Namespace && s.Manifest.Name == backend?.Name);
                    if (backend is null || target.Service is null)
                    {
                        Add(manifest, "reference", $"path {path.Path} goes to Service {backend?.Name ?? "(none)"}, which the render does not have");
                    }
                    else if (!(target.Service.Spec.Ports ?? []).Any(p => (backend.Port?.Name is { } n && p.Name == n) || (backend.Port?.Number is { } number && p.Port == number)))
                    {
                        Add(manifest, "reference", $"path {path.Path} goes to port {backend.Port?.Name ?? backend.Port?.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture)} of Service {backend.Name}, which it does not have");
                    }
                }
            }

            if ((ingress.Spec.Tls ?? []).Any(t => string.IsNullOrEmpty(t.SecretName)))
            {
                Add(manifest, "ingress-tls", "a TLS entry has no secretName: name the Secret the certificate goes to");
            }
        }

        foreach (var manifest in all.Where(m => m.Object is V2HorizontalPodAutoscaler))
        {
            var target = ((V2HorizontalPodAutoscaler)manifest.Object).Spec.ScaleTargetRef;
            if (!all.Any(m => m.Kind == target.Kind && m.Name == target.Name && m.Namespace == manifest.Namespace))
            {
                Add(manifest, "reference", $"scales {target.Kind}/{target.Name}, which the render does not have");
            }
        }

        return findings;
    }

    /// <summary>Why an image reference is not pinned, or null: a tag other than latest, or a digest.</summary>
    public static string? ImageProblem(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "has no image";
        }

        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return null;
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        if (colon < 0)
        {
            return $"image {image} has no tag: pin a version (or a digest)";
        }

        var tag = image[(colon + 1)..];
        return tag is "latest" or "main" or "master" or "edge" or "nightly"
            ? $"image {image} uses the moving tag '{tag}': pin a version (or a digest)"
            : null;
    }

    private static bool Selects(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels) =>
        selector is not null && Network.PolicyEvaluator.Selects(selector, labels) && (selector.MatchLabels is { Count: > 0 } || selector.MatchExpressions is { Count: > 0 });

    /// <summary>The sysctls the baseline (and so the restricted) Pod Security profile allows.</summary>
    private static readonly HashSet<string> SafeSysctls =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    [GeneratedRegex("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
