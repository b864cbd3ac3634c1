using Xunit;
using k8s.Models;
using Platform.Build.Apps;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Workloads;
using Platform.Build.Tenancy;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Kubernetes;

/// <summary>
/// The workload rules on sso's real rendered overlays: they pass as shipped, and
/// each rule fails when the thing it guards is broken (one mutation per rule).
/// </summary>
public sealed class WorkloadPolicyTests
{
    private static IReadOnlyList<Manifest> Render(string env)
    {
        var render = PlatformContext.Create(Repo.Root).Renders.Render(TenantApplication.Sso.Overlay(env));
        Assert.True(render.Succeeded, render.Error);
        return render.Manifests;
    }

    private static V1Deployment Deployment(IReadOnlyList<Manifest> render) => render.Select(m => m.Object).OfType<V1Deployment>().Single();

    private static V1Container Dex(IReadOnlyList<Manifest> render) => Deployment(render).Spec.Template.Spec.Containers[0];

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_shipped_overlays_pass_every_rule(string env)
    {
        var render = Render(env);

        Assert.Empty(WorkloadPolicy.PodSecurity(render));
        Assert.Empty(WorkloadPolicy.Reliability(render, minReplicas: 2, requireZoneSpread: env == "prod"));
        Assert.Empty(WorkloadPolicy.References(render));
        Assert.Empty(DexConfig.Findings(render));
    }

    public static TheoryData<string, string> PodSecurityBreaks => new()
    {
        { "root", "run-as-non-root" },
        { "escalation", "privilege-escalation" },
        { "capabilities", "capabilities" },
        { "seccomp", "seccomp" },
        { "writable-root", "read-only-root" },
        { "privileged", "privileged" },
        { "host-network", "host-namespaces" },
        { "host-path", "host-path" },
        { "host-port", "host-port" },
        { "token", "service-account-token" },
        { "literal-secret", "secret-in-env" },
        { "add-capability", "capabilities" },
        { "nfs-volume", "volume-type" },
        { "pod-root-user", "run-as-non-root" },
        { "unsafe-sysctl", "sysctls" },
        { "proc-mount", "proc-mount" },
        { "apparmor", "apparmor" },
    };

    [Theory]
    [MemberData(nameof(PodSecurityBreaks))]
    public void Each_pod_security_rule_fails_on_what_it_guards(string change, string rule)
    {
        var render = Render("prod");
        var pod = Deployment(render).Spec.Template.Spec;
        var dex = pod.Containers[0];
        switch (change)
        {
            case "root": pod.SecurityContext.RunAsNonRoot = null; break;
            case "escalation": dex.SecurityContext.AllowPrivilegeEscalation = null; break;
            case "capabilities": dex.SecurityContext.Capabilities.Drop = ["NET_RAW"]; break;
            case "seccomp": pod.SecurityContext.SeccompProfile = null; break;
            case "writable-root": dex.SecurityContext.ReadOnlyRootFilesystem = false; break;
            case "privileged": dex.SecurityContext.Privileged = true; break;
            case "host-network": pod.HostNetwork = true; break;
            case "host-path": pod.Volumes.Add(new V1Volume { Name = "node", HostPath = new V1HostPathVolumeSource { Path = "/var/run" } }); break;
            case "host-port": dex.Ports[0].HostPort = 5556; break;
            case "token": pod.AutomountServiceAccountToken = null; break;
            case "literal-secret": dex.Env.Add(new V1EnvVar { Name = "DEX_DB_PASSWORD_FALLBACK", Value = "hunter2" }); break;
            case "add-capability": dex.SecurityContext.Capabilities.Add = ["SYS_ADMIN"]; break;
            case "nfs-volume": pod.Volumes.Add(new V1Volume { Name = "share", Nfs = new V1NFSVolumeSource { Server = "10.0.0.9", Path = "/export" } }); break;
            case "pod-root-user": pod.SecurityContext.RunAsUser = 0; break;
            case "unsafe-sysctl": pod.SecurityContext.Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "65536" }]; break;
            case "proc-mount": dex.SecurityContext.ProcMount = "Unmasked"; break;
            case "apparmor": dex.SecurityContext.AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" }; break;
        }

        var findings = WorkloadPolicy.PodSecurity(render);

        var finding = Assert.Single(findings);
        Assert.Equal(rule, finding.Rule);
        Assert.StartsWith("Deployment/sso (kubernetes/apps/sso/overlays/prod (rendered):", finding.Where);
        Assert.DoesNotContain("hunter2", finding.ToString());
    }

    public static TheoryData<string, string> ReliabilityBreaks => new()
    {
        { "no-limits", "resources" },
        { "no-readiness", "readiness-probe" },
        { "no-liveness", "liveness-probe" },
        { "latest", "image-pinned" },
        { "untagged", "image-pinned" },
        { "one-replica", "replicas" },
        { "replicas-and-hpa", "replicas" },
        { "no-pdb", "disruption-budget" },
        { "pdb-blocks-drains", "disruption-budget" },
        { "soft-zone-spread", "zone-spread" },
        { "pdb-min-all", "disruption-budget" },
    };

    [Theory]
    [MemberData(nameof(ReliabilityBreaks))]
    public void Each_reliability_rule_fails_on_what_it_guards(string change, string rule)
    {
        var render = Render("prod").ToList();
        var deployment = Deployment(render);
        var dex = deployment.Spec.Template.Spec.Containers[0];
        switch (change)
        {
            case "no-limits": dex.Resources.Limits = null; break;
            case "no-readiness": dex.ReadinessProbe = null; break;
            case "no-liveness": dex.LivenessProbe = null; break;
            case "latest": dex.Image = "ghcr.io/dexidp/dex:latest"; break;
            case "untagged": dex.Image = "ghcr.io/dexidp/dex"; break;
            case "one-replica": render.Select(m => m.Object).OfType<V2HorizontalPodAutoscaler>().Single().Spec.MinReplicas = 1; break;
            case "replicas-and-hpa": deployment.Spec.Replicas = 3; break;
            case "no-pdb": render.RemoveAll(m => m.Object is V1PodDisruptionBudget); break;
            case "pdb-blocks-drains": render.Select(m => m.Object).OfType<V1PodDisruptionBudget>().Single().Spec.MaxUnavailable = (IntOrString)"0"; break;
            case "soft-zone-spread": deployment.Spec.Template.Spec.TopologySpreadConstraints[0].WhenUnsatisfiable = "ScheduleAnyway"; break;
            case "pdb-min-all":
                var budget = render.Select(m => m.Object).OfType<V1PodDisruptionBudget>().Single().Spec;
                budget.MaxUnavailable = null;
                budget.MinAvailable = (IntOrString)"100%";
                break;
        }

        var findings = WorkloadPolicy.Reliability(render, minReplicas: 2, requireZoneSpread: true);

        Assert.Equal(rule, Assert.Single(findings).Rule);
    }

    [Fact]
    public void A_disruption_budget_with_an_empty_selector_covers_every_pod()
    {
        var render = Render("prod");
        render.Select(m => m.Object).OfType<V1PodDisruptionBudget>().Single().Spec.Selector = new V1LabelSelector();

        Assert.Empty(WorkloadPolicy.Reliability(render, minReplicas: 2, requireZoneSpread: true));
    }

    public static TheoryData<string, string> ReferenceBreaks => new()
    {
        { "service-selector", "Service/sso" },
        { "service-port", "targets metrics, which no selected container declares" },
        { "ingress-backend", "goes to Service sso-web, which the render does not have" },
        { "ingress-tls", "serves sso.platform.example.com without TLS" },
        { "hpa-target", "scales Deployment/dex" },
        { "no-externalsecret", "reads DEX_DB_PASSWORD from Secret sso-secrets, which nothing in the render provides" },
        { "no-configmap", "takes its environment from ConfigMap" },
        { "no-serviceaccount", "uses ServiceAccount sso" },
        { "hostless-rule", "a rule without host answers any name" },
    };

    [Theory]
    [MemberData(nameof(ReferenceBreaks))]
    public void Each_reference_must_resolve(string change, string expected)
    {
        var render = Render("prod").ToList();
        var objects = render.Select(m => m.Object).ToList();
        switch (change)
        {
            case "service-selector": objects.OfType<V1Service>().Single().Spec.Selector["app.kubernetes.io/name"] = "dex"; break;
            case "service-port": Dex(render).Ports.RemoveAt(1); Dex(render).ReadinessProbe.HttpGet.Port = (IntOrString)"5558"; Dex(render).LivenessProbe.HttpGet.Port = (IntOrString)"5558"; break;
            case "ingress-backend": objects.OfType<V1Ingress>().Single().Spec.Rules[0].Http.Paths[0].Backend.Service.Name = "sso-web"; break;
            case "ingress-tls": objects.OfType<V1Ingress>().Single().Spec.Tls = null; break;
            case "hpa-target": objects.OfType<V2HorizontalPodAutoscaler>().Single().Spec.ScaleTargetRef.Name = "dex"; break;
            case "no-externalsecret": render.RemoveAll(m => m.Object is ExternalSecret); break;
            case "no-configmap": render.RemoveAll(m => m.Object is V1ConfigMap c && c.Metadata.Name.StartsWith("sso-settings", StringComparison.Ordinal)); break;
            case "no-serviceaccount": render.RemoveAll(m => m.Object is V1ServiceAccount); break;
            case "hostless-rule": objects.OfType<V1Ingress>().Single().Spec.Rules[0].Host = null; break;
        }

        var findings = WorkloadPolicy.References(render).Select(f => f.ToString()).ToList();

        Assert.Contains(findings, f => f.Contains(expected, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> DexBreaks => new()
    {
        { "issuer: '{{ getenv \"DEX_ISSUER\" }}'", "issuer: 'http://sso.platform.example.com'|issuer 'http://sso.platform.example.com' must be an https URL" },
        { "issuer: '{{ getenv \"DEX_ISSUER\" }}'", "issuer: 'https://login.example.com'|issuer host login.example.com is not the Ingress's host" },
        { "type: postgres", "type: memory|storage memory is per pod" },
        { "password: $DEX_DB_PASSWORD", "password: s3cret|storage.config.password is written in the configuration" },
        { "password: $DEX_DB_PASSWORD", "password: '{{ getenv \"DEX_DB_PASSWORD\" }}'|renders DEX_DB_PASSWORD into the file, but it comes from a Secret" },
        { "mode: verify-full", "mode: disable|storage.config.ssl.mode is 'disable'" },
        { "secretEnv: SSO_PORTAL_CLIENT_SECRET", "secret: portal-secret|static client org-a-portal has its secret in the configuration" },
        { "enablePasswordDB: true", "enablePasswordDB: true\nstaticPasswords: [{email: a@example.com, hash: x}]|staticPasswords puts password hashes in git" },
        { "'{{ getenv \"SSO_PORTAL_REDIRECT_URI\" }}'", "'{{ getenv \"SSO_PORTAL_REDIRECT\" }}'|reads SSO_PORTAL_REDIRECT with getenv, but the container does not set it" },
        { "  tlsClientCA: /etc/dex/grpc-tls/client-ca.crt\n", "|the gRPC API (it creates users and clients) has no tlsClientCA: require mutual TLS" },
    };

    [Theory]
    [MemberData(nameof(DexBreaks))]
    public void Each_Dex_configuration_rule_fails_on_what_it_guards(string find, string change)
    {
        var (replace, expected) = (change.Split('|')[0], change.Split('|')[1]);
        var render = Render("prod");
        var config = render.Select(m => m.Object).OfType<V1ConfigMap>().Single(c => c.Metadata.Name == DexConfig.ConfigMapName);
        Assert.Contains(find, config.Data[DexConfig.ConfigKey]);
        config.Data[DexConfig.ConfigKey] = config.Data[DexConfig.ConfigKey].Replace(find, replace, StringComparison.Ordinal);

        var findings = DexConfig.Findings(render);

        Assert.Contains(findings, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Dex_listens_where_its_flags_say_not_where_the_file_says()
    {
        var render = Render("dev");
        var args = Dex(render).Args;
        args[args.IndexOf("--web-http-addr=0.0.0.0:5556")] = "--web-http-addr=0.0.0.0:8080";

        Assert.Contains("web.http listens on '0.0.0.0:8080', but the container's port http is 5556", DexConfig.Findings(render));
    }

    [Fact]
    public void The_dev_and_prod_renders_differ_only_where_intended_and_an_unintended_change_is_named()
    {
        var dev = Render("dev");
        var prod = Render("prod");

        var differences = OverlayDiff.Compare(dev, prod);
        Assert.Empty(OverlayDiff.Unintended(differences, TenantApplication.Sso.Differences));
        Assert.Contains(differences, d => d.Kind == "Deployment" && d.Path == "spec.replicas" && d.Left == "2" && d.Right is null);
        Assert.Contains(differences, d => d.Kind == "HorizontalPodAutoscaler" && d.Path == OverlayDiff.WholeObject);

        // A prod-only change to the probes or the security context is not one of the intended differences.
        Dex(prod).ReadinessProbe.PeriodSeconds = 60;
        Dex(prod).SecurityContext.ReadOnlyRootFilesystem = false;
        var unintended = OverlayDiff.Unintended(OverlayDiff.Compare(dev, prod), TenantApplication.Sso.Differences).Select(d => d.ToString()).ToList();

        Assert.Equal(
            [
                "Deployment/sso spec.template.spec.containers.0.readinessProbe.periodSeconds: 10 vs 60",
                "Deployment/sso spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem: true vs false",
            ],
            unintended);
    }

    [Fact]
    public void A_Secret_that_differs_is_named_without_its_values()
    {
        var dev = Render("dev").ToList();
        var prod = Render("prod").ToList();
        V1Secret Secret(string value) => new() { ApiVersion = "v1", Kind = "Secret", Metadata = new V1ObjectMeta { Name = "leaked" }, StringData = new Dictionary<string, string> { ["password"] = value } };
        dev.Add(new Manifest("dev", 1, Secret("hunter2")));
        prod.Add(new Manifest("prod", 1, Secret("correct-horse")));

        var difference = Assert.Single(OverlayDiff.Unintended(OverlayDiff.Compare(dev, prod), TenantApplication.Sso.Differences));

        Assert.Equal("Secret/leaked stringData.password: (secret value) vs (secret value)", difference.ToString());
    }

    [Fact]
    public void The_quota_check_counts_the_most_replicas_and_the_largest_container()
    {
        var catalog = TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        var prod = catalog.Organizations.Single(o => o.Name == "org-a").Environments.Single(e => e.Name == "prod");
        var render = Render("prod");
        Assert.Empty(ApplicationChecks.QuotaFindings(render, prod));

        render.Select(m => m.Object).OfType<V2HorizontalPodAutoscaler>().Single().Spec.MaxReplicas = 60;
        Dex(render).Resources.Limits["memory"] = new ResourceQuantity("8Gi");

        var findings = ApplicationChecks.QuotaFindings(render, prod).ToList();

        Assert.Contains(findings, f => f.Contains("limits above the namespace's largest container (2 CPU, 4Gi)", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("needs pods 61, above the medium quota's 50", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("needs limits.cpu 61, above the medium quota's 20", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ghcr.io/dexidp/dex:v2.43.1", null)]
    [InlineData("ghcr.io/dexidp/dex@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null)]
    [InlineData("localhost:5000/dex", "has no tag")]
    [InlineData("localhost:5000/dex:latest", "moving tag 'latest'")]
    public void Images_are_pinned_by_tag_or_digest_and_registry_ports_are_not_tags(string image, string? problem)
    {
        var found = WorkloadPolicy.ImageProblem(image);

        if (problem is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(problem, found);
        }
    }
}
