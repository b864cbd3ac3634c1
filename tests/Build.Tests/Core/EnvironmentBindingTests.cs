using Xunit;
using Platform.Build.Core.Context;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>
/// One run touches one environment: another environment's Terraform outputs
/// (named by the caller's PLATFORM_TERRAFORM_OUTPUTS, or left in --env's file)
/// and a kubeconfig of another cluster are refused before any task runs, with
/// one line naming the input and the fix, exit 2, and nothing run.
/// </summary>
public sealed class EnvironmentBindingTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "ansible", "kubernetes");

    public void Dispose() => _repo.Dispose();

    private string Fixture(string env) => _repo.Path($"ansible/inventory/fixtures/{env}-terraform-outputs.json");

    private string Kubeconfig(string server)
    {
        var path = _repo.Path("kubeconfig");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: c
                cluster:
                  server: {{server}}
            contexts:
              - name: c
                context: {cluster: c, user: u}
            current-context: c
            users:
              - name: u
                user: {token: not-a-secret}
            """);
        return path;
    }

    [Fact]
    public void Prods_outputs_named_by_the_callers_environment_are_refused_on_a_dev_run()
    {
        using var env = new EnvironmentScope().Set(EnvironmentBinding.OutputsVariable, Fixture("prod"));

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=ExecuteKubernetesSetup", "--env=dev");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{EnvironmentBinding.OutputsVariable}={Fixture("prod")}: holds the outputs of prod, not of --env=dev: unset it", run.Output);
        Assert.DoesNotContain("ansible-playbook", run.Output);
        Assert.False(File.Exists(_repo.Path("artifacts/reports/checks.json")) && File.ReadAllText(_repo.Path("artifacts/reports/checks.json")).Contains("ExecuteKubernetesSetup", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_outputs_for_their_own_environment_are_taken()
    {
        using var env = new EnvironmentScope().Set(EnvironmentBinding.OutputsVariable, Fixture("prod"));

        var context = PlatformContext.Create(_repo.Root, null, "--env=prod");

        Assert.Equal(Fixture("prod"), context.TerraformOutputs);
    }

    [Theory]
    [InlineData("{\"environment\": {\"value\": \"prod\"}}", "holds the outputs of prod, not of dev")]
    [InlineData("{\"cluster_name\": ", "is not valid JSON (line 1)")]
    [InlineData("{}", "has no environment output (terraform output -json of terraform/environments/<env>)")]
    public void Devs_outputs_file_holding_something_else_is_refused(string text, string expected)
    {
        _repo.Write("terraform/outputs/dev-terraform-outputs.json", text);

        var error = Assert.Throws<OptionException>(() => PlatformContext.Create(_repo.Root, null, "--env=dev"));

        Assert.Equal($"terraform/outputs/dev-terraform-outputs.json: {expected}: write it again with ./build.sh --target=ApplyInfrastructure --env=dev", error.Message);
    }

    [Fact]
    public void A_kubeconfig_of_another_cluster_is_refused()
    {
        _repo.Write("terraform/outputs/dev-terraform-outputs.json", File.ReadAllText(Fixture("dev")));
        var kubeconfig = Kubeconfig("https://platform-prod-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443");

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=CreateNamespaces", "--env=dev", $"--kubeconfig={kubeconfig}");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--kubeconfig={kubeconfig}: its cluster is https://platform-prod-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443, but dev's API is https://platform-dev-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443", run.Output);
    }

    [Fact]
    public void The_kubeconfig_of_its_own_cluster_is_taken()
    {
        _repo.Write("terraform/outputs/dev-terraform-outputs.json", File.ReadAllText(Fixture("dev")));
        var kubeconfig = Kubeconfig("https://PLATFORM-dev-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443/");

        var context = PlatformContext.Create(_repo.Root, null, "--env=dev", $"--kubeconfig={kubeconfig}");

        Assert.Equal(kubeconfig, context.Credentials.Kubeconfig);
    }
}
