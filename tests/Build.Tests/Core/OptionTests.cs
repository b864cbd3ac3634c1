using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>Bad options are one-line errors, exit code 2, and nothing runs.</summary>
public sealed class OptionTests : IDisposable
{
    private readonly TempRepo _repo = new();
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws();

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    [Theory]
    [InlineData("--env=staging", "--env=staging is not valid: use --env=dev or --env=prod")]
    [InlineData("--env=PROD", "--env=PROD is not valid: did you mean --env=prod?")]
    [InlineData("--env=prod --confirm=PROD", "--confirm=PROD does not match --env=prod")]
    [InlineData("--kubeconfig=/tmp", "--kubeconfig=/tmp: /tmp is a directory: pass the kubeconfig file in it")]
    [InlineData("--enviroment=prod", "unknown option --enviroment: did you mean --env?")]
    [InlineData("--confrim=prod", "unknown option --confrim: did you mean --confirm?")]
    [InlineData("--env=prod --confirm=dev", "--confirm=dev does not match --env=prod")]
    [InlineData("--kubeconfig=/no/such/file", "--kubeconfig=/no/such/file: file /no/such/file not found")]
    [InlineData("--terraform-plugin-dir=/no/such/dir", "directory /no/such/dir not found")]
    [InlineData("--env=dev --env=prod", "--env is given 2 times")]
    [InlineData("--install-tools=maybe", "--install-tools=maybe is not valid")]
    [InlineData("--kubeconfig", "--kubeconfig needs a value: --kubeconfig=PATH")]
    [InlineData("--target=Chekpoint2", "the target 'Chekpoint2' was not found: did you mean 'Checkpoint2'")]
    [InlineData("--target=Valdate --target=Lnt", "the targets 'Valdate', 'Lnt' were not found: for 'Valdate' did you mean 'Validate'?; for 'Lnt' did you mean 'Lint'?")]
    [InlineData("--verbosity=loud", "--verbosity=loud is not valid")] // the host cannot parse it: Frosting's -1 becomes the platform's 2
    [InlineData("stray", "unexpected argument 'stray'")]
    [InlineData("--target=UpgradeCluster --to=1.33", "--to=1.33 is not valid: give the exact version to upgrade to, e.g. --to=1.33.2")]
    [InlineData("--target=UpgradeCluster --to=v1.33.2", "--to=v1.33.2 is not valid")]
    [InlineData("--target=RemoveNode --node=Worker_1", "--node=Worker_1 is not valid: give the node's inventory hostname")]
    [InlineData("--target=RestoreEtcd --snapshot=/no/such.db", "--snapshot=/no/such.db: file /no/such.db not found")]
    [InlineData("--target=UpgradeCluster --to", "--to needs a value: --to=1.33.2")]
    public void Bad_options_are_refused_in_one_line(string arguments, string message)
    {
        var result = BuildRun.Platform([.. arguments.Split(' '), $"--working={_repo.Root}"]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Output.Trim().Split('\n'));
        Assert.Contains(message, line);
        Assert.False(Directory.Exists(_repo.Path("artifacts")), "nothing may run or be written");
    }

    [Theory]
    [InlineData("--target=Validate --revision=HEAD~1", "--revision is read only by RollbackInfrastructure and RollbackApp, which this run does not include")]
    [InlineData("--target=Tenants --apply-plan=tenants-plan.tfplan", "--apply-plan is read only by ApplyInfrastructure and RollbackInfrastructure, which this run does not include: drop it or add --target=ApplyInfrastructure")]
    [InlineData("--target=Doctor --git-token-file=tenants-plan.tfplan", "--git-token-file is read only by ConfigureRepositoryAccess")]
    [InlineData("--target=Validate --to=1.33.2", "--to is read only by UpgradeCluster, which this run does not include: drop it or add --target=UpgradeCluster")]
    [InlineData("--target=UpgradeCluster --node=platform-dev-worker-1", "--node is read only by RemoveNode")]
    public void An_option_no_task_of_the_run_reads_is_refused_before_anything_runs(string arguments, string message)
    {
        File.WriteAllText(_repo.Path("tenants-plan.tfplan"), "a plan");

        var result = BuildRun.Platform([.. arguments.Split(' '), $"--working={_repo.Root}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Output);
        Assert.DoesNotContain("terraform", result.Output.Replace("RollbackInfrastructure", string.Empty).Replace("ApplyInfrastructure", string.Empty).ToLowerInvariant().Replace("tfplan", string.Empty));
    }

    [Fact]
    public void Tree_ignores_the_targets_as_Frosting_does_so_an_unknown_one_is_no_refusal()
    {
        var result = BuildRun.Platform("--tree", "--target=Nothing", $"--working={_repo.Root}");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"(?m)^Default\s+└─Validate", result.Output);
        Assert.DoesNotContain("was not found", result.Output);
    }

    [Fact]
    public void Help_lists_the_platform_options()
    {
        var result = BuildRun.Platform("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--target=NAME", result.Output);
        Assert.Contains("--confirm               =prod: required before anything changes prod", result.Output);
    }

    [Fact]
    public void Relative_paths_in_options_are_relative_to_where_the_build_was_started()
    {
        _repo.Write("elsewhere/kubeconfig", "apiVersion: v1\nkind: Config\n");
        var cwd = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _repo.Path("elsewhere");
        try
        {
            var result = BuildRun.Platform("--target=Graph", "--kubeconfig=kubeconfig", $"--working={_repo.Root}");
            Assert.Equal(0, result.ExitCode);
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }
}
