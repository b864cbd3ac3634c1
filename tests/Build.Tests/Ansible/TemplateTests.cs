using Xunit;
using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Ansible;

/// <summary>The control-plane and Cilium templates, rendered by Ansible: the checks pass as written and catch what breaks them.</summary>
public sealed class TemplateTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible", "terraform");

    public void Dispose() => _repo.Dispose();

    private void Edit(string file, string from, string to)
    {
        var text = _repo.Read(file);
        Assert.Contains(from, text);
        _repo.Write(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private const string Kubeadm = "ansible/roles/k8s-control-plane/templates/kubeadm-config.yaml.j2";

    [Fact]
    public void The_templates_as_written_pass()
    {
        var context = PlatformContext.Create(_repo.Root);

        Assert.Equal(CheckStatus.Passed, TemplateChecks.KubeadmConfig(context).Status);
        Assert.Equal(CheckStatus.Passed, TemplateChecks.CiliumValues(context).Status);
        Assert.Equal(CheckStatus.Passed, TemplateChecks.MultipleControlPlanes(context).Status);
    }

    [Fact]
    public void Kube_proxy_left_in_is_found()
    {
        Edit(Kubeadm, "skipPhases:\n  - addon/kube-proxy\n", string.Empty);

        var outcome = TemplateChecks.KubeadmConfig(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("skipPhases lacks addon/kube-proxy", outcome.Detail);
    }

    [Fact]
    public void An_old_kubeadm_api_and_profiling_on_are_found()
    {
        Edit(Kubeadm, "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration");
        Edit(Kubeadm, "scheduler:\n  extraArgs:\n    - name: profiling\n      value: \"false\"", "scheduler:\n  extraArgs:\n    - name: profiling\n      value: \"true\"");

        var outcome = TemplateChecks.KubeadmConfig(PlatformContext.Create(_repo.Root));

        Assert.Contains("ClusterConfiguration is kubeadm.k8s.io/v1beta3", outcome.Detail);
        Assert.Contains("scheduler profiling is not false", outcome.Detail);
    }

    [Theory]
    [InlineData("NodeRestriction,AlwaysPullImages,EventRateLimit,DenyServiceExternalIPs", "NodeRestriction,EventRateLimit,DenyServiceExternalIPs", "apiServer enable-admission-plugins lacks AlwaysPullImages")]
    [InlineData("NodeRestriction,AlwaysPullImages,EventRateLimit,DenyServiceExternalIPs", "NodeRestriction,AlwaysPullImages,DenyServiceExternalIPs", "apiServer enable-admission-plugins lacks EventRateLimit")]
    [InlineData("protectKernelDefaults: true", "protectKernelDefaults: false", "kubelet protectKernelDefaults")]
    [InlineData("serverTLSBootstrap: true", "serverTLSBootstrap: false", "kubelet serverTLSBootstrap")]
    [InlineData("    - name: kubelet-certificate-authority\n", "    - name: x-kubelet-certificate-authority\n", "apiServer.extraArgs lacks kubelet-certificate-authority")]
    [InlineData("    - name: authentication-config\n", "    - name: anonymous-auth\n      value: \"true\"\n    - name: x-authentication-config\n", "apiServer anonymous-auth is true")]
    [InlineData("      value: \"{{ k8s_tls_cipher_suites | join(',') }}\"", "      value: \"{{ (k8s_tls_cipher_suites + ['TLS_RSA_WITH_AES_128_CBC_SHA']) | join(',') }}\"", "tls-cipher-suites allows TLS_RSA_WITH_AES_128_CBC_SHA")]
    public void A_weakened_API_server_or_kubelet_is_found(string find, string replace, string expected)
    {
        Edit(Kubeadm, find, replace);

        var outcome = TemplateChecks.KubeadmConfig(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains(expected, outcome.Detail);
    }

    [Fact]
    public void Anonymous_requests_beyond_the_health_endpoints_are_found()
    {
        Edit("ansible/roles/k8s-control-plane/templates/authentication-config.yaml.j2", "    - path: /healthz\n", "    - path: /healthz\n    - path: /api\n");

        var outcome = TemplateChecks.ApiServerPolicies(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("anonymous requests are allowed on /api: only the health endpoints", outcome.Detail);
    }

    [Fact]
    public void An_event_rate_limit_without_a_namespace_limit_is_found()
    {
        Edit("ansible/roles/k8s-control-plane/templates/admission-config.yaml.j2", "        - type: Namespace\n", "        - type: User\n");

        var outcome = TemplateChecks.ApiServerPolicies(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("EventRateLimit has no Namespace limit", outcome.Detail);
    }

    [Fact]
    public void A_pod_subnet_overlapping_the_VPC_is_found()
    {
        _repo.Write("ansible/inventory/fixtures/dev-terraform-outputs.json",
            _repo.Read("ansible/inventory/fixtures/dev-terraform-outputs.json").Replace("\"10.244.0.0/16\"", "\"10.20.128.0/17\"", StringComparison.Ordinal));

        var outcome = TemplateChecks.KubeadmConfig(PlatformContext.Create(_repo.Root));

        Assert.Contains("10.20.128.0/17 overlaps the VPC 10.20.0.0/16", outcome.Detail);
    }

    [Fact]
    public void Cilium_IPAM_outside_the_pod_subnet_is_found()
    {
        Edit("ansible/roles/cilium/defaults/main.yml", "cilium_ipam_mode: kubernetes", "cilium_ipam_mode: cluster-pool");
        Edit("ansible/roles/cilium/defaults/main.yml", "cilium_pod_cidr: \"{{ pod_cidr }}\"", "cilium_pod_cidr: 10.0.0.0/8");

        var outcome = TemplateChecks.CiliumValues(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("hands out [10.0.0.0/8], not the pod subnet 10.244.0.0/16", outcome.Detail);
    }

    [Fact]
    public void Control_planes_joining_all_at_once_is_found()
    {
        Edit("ansible/roles/k8s-control-plane/tasks/main.yml", "  throttle: 1\n", string.Empty);

        var outcome = TemplateChecks.MultipleControlPlanes(PlatformContext.Create(_repo.Root));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("not throttle: 1", outcome.Detail);
    }
}
