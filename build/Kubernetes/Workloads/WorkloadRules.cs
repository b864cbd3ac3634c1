using System.Text.RegularExpressions;
using Platform.Build.Core.Audit;
using Rule = Platform.Build.Core.Audit.Rule;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Kubernetes.Workloads;

/// <summary>One render the workload rules read: a label, its folder, its objects and the bar it is held to.</summary>
public sealed record WorkloadRender(string Label, string Folder, IReadOnlyList<Manifest> Manifests, int MinReplicas, bool ZoneSpread);

/// <summary>
/// The audit's rules over rendered workloads: <see cref="WorkloadPolicy"/>'s
/// rule ids as audit rules with their checkov, trivy, kube-score and Polaris
/// counterparts. A finding's object is "label: Kind/name (container)"; its
/// location is the source file under the render's folder that declares the object.
/// </summary>
public static partial class WorkloadRules
{
    private static Rule R(string id, string title, Severity severity, string fix, params string[] refs) => new(id, title, severity, AuditSource.Manifests, fix, refs);

    /// <summary>Audit rule by WorkloadPolicy rule id.</summary>
    public static readonly IReadOnlyDictionary<string, Rule> ByPolicyRule = new Dictionary<string, Rule>
    {
        ["host-namespaces"] = R("K8S-POD-001", "Pods share no host namespace", Severity.High, "remove hostNetwork, hostPID and hostIPC", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "AVD-KSV-0008", "AVD-KSV-0009", "AVD-KSV-0010", "polaris:hostNetworkSet"),
        ["host-path"] = R("K8S-POD-002", "Pods mount no host path", Severity.High, "use a PVC, ConfigMap, Secret or emptyDir", "AVD-KSV-0023", "kube-linter:host-mounts"),
        ["volume-type"] = R("K8S-POD-003", "Pods use only the volume types the restricted profile allows", Severity.Medium, "use configMap, secret, emptyDir, projected, downwardAPI, csi, ephemeral or a PVC", "AVD-KSV-0028"),
        ["run-as-non-root"] = R("K8S-POD-004", "Containers run as non-root", Severity.High, "set runAsNonRoot: true and a non-zero runAsUser", "CKV_K8S_23", "CKV_K8S_40", "AVD-KSV-0012", "polaris:runAsRootAllowed"),
        ["sysctls"] = R("K8S-POD-005", "Pods set only safe sysctls", Severity.High, "remove the sysctl", "AVD-KSV-0026"),
        ["apparmor"] = R("K8S-POD-006", "AppArmor is not turned off", Severity.Medium, "use RuntimeDefault", "AVD-KSV-0002", "CKV_K8S_29"),
        ["service-account-token"] = R("K8S-POD-007", "Pods mount no service account token unless they call the API", Severity.Medium, "set automountServiceAccountToken: false on the pod", "CKV_K8S_38", "AVD-KSV-0036", "kube-linter:no-automount-service-account-token"),
        ["proc-mount"] = R("K8S-POD-008", "/proc stays masked", Severity.High, "leave procMount Default", "AVD-KSV-0027"),
        ["privileged"] = R("K8S-POD-009", "No privileged container", Severity.Critical, "remove securityContext.privileged", "CKV_K8S_16", "AVD-KSV-0017", "polaris:privilegeEscalationAllowed", "kube-linter:privileged-container"),
        ["privilege-escalation"] = R("K8S-POD-010", "Containers cannot gain privileges", Severity.High, "set allowPrivilegeEscalation: false", "CKV_K8S_20", "AVD-KSV-0001", "polaris:privilegeEscalationAllowed"),
        ["capabilities"] = R("K8S-POD-011", "Containers drop all capabilities and add none but NET_BIND_SERVICE", Severity.High, "set capabilities.drop: [ALL]; add nothing", "CKV_K8S_28", "CKV_K8S_37", "AVD-KSV-0003", "AVD-KSV-0022", "polaris:dangerousCapabilities"),
        ["seccomp"] = R("K8S-POD-012", "Containers run with a seccomp profile", Severity.Medium, "set seccompProfile.type: RuntimeDefault", "CKV_K8S_31", "AVD-KSV-0030"),
        ["read-only-root"] = R("K8S-POD-013", "Root filesystems are read-only", Severity.Medium, "set readOnlyRootFilesystem: true; mount an emptyDir where it writes", "CKV_K8S_22", "AVD-KSV-0014", "polaris:notReadOnlyRootFilesystem"),
        ["host-port"] = R("K8S-POD-014", "Containers bind no host port", Severity.Medium, "remove hostPort; use a Service", "CKV_K8S_26", "AVD-KSV-0024", "polaris:hostPortSet"),
        ["secret-in-env"] = R("K8S-POD-015", "No literal secret in the environment", Severity.High, "take it from a Secret (valueFrom.secretKeyRef)", "CKV_K8S_35", "kube-linter:env-var-secret"),
        ["resources"] = R("K8S-WL-001", "Containers set CPU and memory requests and limits", Severity.Medium, "set resources.requests and resources.limits", "CKV_K8S_10", "CKV_K8S_11", "CKV_K8S_12", "CKV_K8S_13", "AVD-KSV-0011", "AVD-KSV-0018", "kube-score:container-resources"),
        ["readiness-probe"] = R("K8S-WL-002", "Containers have a readiness probe", Severity.Low, "add a readinessProbe", "CKV_K8S_9", "polaris:readinessProbeMissing", "kube-score:pod-probes"),
        ["liveness-probe"] = R("K8S-WL-003", "Containers have a liveness probe", Severity.Low, "add a livenessProbe", "CKV_K8S_8", "polaris:livenessProbeMissing"),
        ["image-pinned"] = R("K8S-WL-004", "Images are pinned by tag or digest", Severity.Medium, "pin a version tag or a digest", "CKV_K8S_14", "CKV_K8S_43", "AVD-KSV-0013", "kube-score:container-image-tag"),
        ["replicas"] = R("K8S-WL-005", "Workloads run enough replicas (prod 2 or more)", Severity.Medium, "raise replicas or the autoscaler's minReplicas", "polaris:deploymentMissingReplicas", "kube-linter:minimum-three-replicas"),
        ["disruption-budget"] = R("K8S-WL-006", "Replicated workloads have a disruption budget that lets a node drain", Severity.Medium, "add a PodDisruptionBudget with maxUnavailable 1", "kube-score:deployment-has-poddisruptionbudget", "polaris:missingPodDisruptionBudget"),
        ["zone-spread"] = R("K8S-WL-007", "Prod workloads spread over zones", Severity.Low, "add a topologySpreadConstraint on topology.kubernetes.io/zone with whenUnsatisfiable: DoNotSchedule", "polaris:topologySpreadConstraint"),
        ["reference"] = R("K8S-REF-001", "Every reference resolves inside the render", Severity.Medium, "add the object referred to, or fix the name or port", "kube-linter:dangling-service", "kube-score:service-targets-pod"),
        ["ingress-tls"] = R("K8S-REF-002", "Ingresses serve named hosts over TLS", Severity.High, "give each rule a host and list it under spec.tls with a secretName", "CKV_K8S_153", "kube-score:ingress-targets-service"),
    };

    public static IReadOnlyList<Rule> Rules => [.. ByPolicyRule.Values];

    public static RuleSet For(IReadOnlyList<WorkloadRender> renders, SourceIndex sources) => new("workloads", Rules, () =>
        renders.SelectMany(render =>
            WorkloadPolicy.PodSecurity(render.Manifests)
                .Concat(WorkloadPolicy.Reliability(render.Manifests, render.MinReplicas, render.ZoneSpread))
                .Concat(WorkloadPolicy.References(render.Manifests))
                .Select(f => new Finding(ByPolicyRule[f.Rule].Id, $"{render.Label}: {Subject(f.Where)}", f.Problem, Locate(sources, render.Folder, f.Where)))));

    /// <summary>"sso (Deployment/sso in org-a-dev (folder (rendered):12))" without the render's line, which moves with every edit.</summary>
    private static string Subject(string where) => RenderedLine().Replace(where, string.Empty);

    /// <summary>The source file under the render's tree (its base included) declaring the object's kind and name.</summary>
    public static SourceLocation? Locate(SourceIndex sources, string folder, string where)
    {
        var match = KindAndName().Match(where);
        if (!match.Success)
        {
            return null;
        }

        var (kind, name) = (match.Groups["kind"].Value, match.Groups["name"].Value);
        var tree = folder.Contains("/overlays/", StringComparison.Ordinal) ? folder[..folder.IndexOf("/overlays/", StringComparison.Ordinal)] : folder;
        return sources.Find(tree, ".yaml", line => line == $"name: {name}", text => text.Contains($"kind: {kind}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"(?<kind>[A-Z][A-Za-z]+)/(?<name>[a-z0-9.-]+)")]
    private static partial Regex KindAndName();

    [GeneratedRegex(@" \([^()]* \(rendered\):\d+\)|:\d+\)")]
    private static partial Regex RenderedLine();
}
