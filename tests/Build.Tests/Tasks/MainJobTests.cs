using System.Diagnostics;
using Xunit;
using Platform.Build.Core.Spec;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tasks;

/// <summary>
/// The main job and the command line, end to end, on a copy of this
/// repository's sources (so a developer's own reports are left alone).
/// </summary>
public sealed class MainJobTests(MainJobTests.ValidateRun validate) : IDisposable, IClassFixture<MainJobTests.ValidateRun>
{
    /// <summary>One Validate run of the copied repository, shared by the tests that read its report (it takes a minute).</summary>
    public sealed class ValidateRun : IDisposable
    {
        public ValidateRun()
        {
            using var env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);
            Result = BuildRun.Platform($"--working={Repo.Root}");
            Rows = ReportFile.Rows(Repo.Root);
        }

        public TempRepo Repo { get; } = TempRepo.WithTracked(Sources);

        public RunResult Result { get; }

        public IReadOnlyList<ReportRow> Rows { get; }

        public void Dispose() => Repo.Dispose();
    }

    private static readonly string[] Sources = ["specs", "terraform", "ansible", "kubernetes", "docs", ".github", "audit", "build", "README.md", "RUNBOOK.md", ".gitignore"];

    private readonly TempRepo _repo = TempRepo.WithTracked(Sources);
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    [Fact]
    public void Validate_reports_every_seed_item_and_passes_with_nothing_left_unimplemented()
    {
        var result = validate.Result;
        var rows = validate.Rows;
        var spec = SpecDocument.Load(validate.Repo.Path("specs/platform/tasks.md"));

        foreach (var task in spec.Tasks)
        {
            foreach (var item in task.Validation)
            {
                Assert.Contains(rows, r => r.SeedId == task.Id && r.Item == item);
            }
        }

        foreach (var checkpoint in spec.Checkpoints)
        {
            Assert.All(checkpoint.Items, item => Assert.Contains(rows, r => r.Task == $"Checkpoint{checkpoint.Number}" && r.Item == item));
        }

        // Every seed item of every phase is wired: nothing fails offline, nothing is "not implemented yet".
        Assert.Empty(rows.Where(r => r.Status == "Failed").Select(r => $"{r.Task} '{r.Item}': {r.Detail}"));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(rows, r => r.Status == "Passed" && r.SeedId == "4.6");
        Assert.DoesNotContain("## Not implemented yet", validate.Repo.Read("artifacts/reports/summary.md"));

        // What could not run says why; nothing is reported Passed that needs a cluster or AWS.
        Assert.All(rows.Where(r => r.Status == "Skipped"), r => Assert.False(string.IsNullOrWhiteSpace(r.Detail), $"{r.Task} '{r.Item}' skipped without a reason"));
    }

    [Fact]
    public void Validate_never_reports_an_action_as_run()
    {
        var actions = validate.Rows.Where(r => r.Kind == "Action").ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a =>
        {
            Assert.Equal("Skipped", a.Status);
            Assert.StartsWith("Validate changes nothing", a.Detail);
        });
    }

    [Fact]
    public void Checkpoint2_dryrun_lists_tasks_1_1_to_2_8_in_a_valid_order_and_runs_nothing()
    {
        var result = BuildRun.Platform($"--working={_repo.Root}", "--target=Checkpoint2", "--dryrun");

        Assert.Equal(0, result.ExitCode);
        var order = DryRunOrder(result.Output);
        Assert.Equal(
            ["ApplyInfrastructure", "Checkpoint2", "CreateCiliumRole", "CreateComputeModule", "CreateControlPlaneRole", "CreateDevelopmentEnvironment",
             "CreateDynamicInventory", "CreatePrerequisitesRole", "CreateSecurityModule", "CreateSetupPlaybook", "CreateVpcModule", "CreateWorkerRole",
             "ExecuteKubernetesSetup", "InitializeAnsibleProject", "InitializeTerraformProject"],
            order.Order(StringComparer.Ordinal));
        Assert.Equal("Checkpoint2", order[^1]);
        AssertTopological(order);
        Assert.False(Directory.Exists(_repo.Path("artifacts/reports")));
    }

    [Fact]
    public void DeployApp_dryrun_for_prod_lists_the_whole_chain_to_4_5()
    {
        var result = BuildRun.Platform($"--working={_repo.Root}", "--target=DeployApp", "--env=prod", "--dryrun");

        Assert.Equal(0, result.ExitCode);
        var order = DryRunOrder(result.Output);
        Assert.Contains("InitializeTerraformProject", order);
        Assert.Equal(["DeployApplication", "DeployApp"], order[^2..]);
        Assert.Equal(24, order.Count); // Tasks 1.1-4.5 and DeployApp
        Assert.Contains("ConfigureRepositoryAccess", order);
        AssertTopological(order);
        Assert.False(Directory.Exists(_repo.Path("artifacts/reports")));
    }

    [Fact]
    public void DeployApp_for_prod_without_confirm_is_refused_before_any_task_runs()
    {
        var result = BuildRun.Platform($"--working={_repo.Root}", "--target=DeployApp", "--env=prod");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Error: refusing to change prod without --confirm=prod", result.Output);
        Assert.DoesNotContain("\nInitializeTerraformProject\n", result.Output);
    }

    [Fact]
    public void The_compiled_host_refuses_an_unknown_environment_in_one_line()
    {
        var (exit, stdout, stderr) = Host("--env=staging");

        Assert.Equal(2, exit);
        Assert.Equal("Error: --env=staging is not valid: use --env=dev or --env=prod", Strip(stderr + stdout).Trim());
    }

    [Fact]
    public void The_compiled_host_shows_the_tree_of_every_target()
    {
        var (exit, stdout, _) = Host("--tree");

        Assert.Equal(0, exit);
        foreach (var root in new[] { "Default", "Lint", "DeployApp", "Graph" })
        {
            Assert.Matches($"(?m)^{root}$", stdout);
        }

        Assert.Contains("CreateDynamicInventory", stdout);
    }

    private (int Exit, string Stdout, string Stderr) Host(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _repo.Root };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Build.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Strip(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\x1B\[[0-9;]*m", string.Empty);

    private static List<string> DryRunOrder(string output) =>
        [.. System.Text.RegularExpressions.Regex.Matches(output, @"(?m)^\d+\. (\w+)\s*$").Select(m => m.Groups[1].Value)];

    private static void AssertTopological(List<string> order)
    {
        var catalog = global::Platform.Build.Core.Graph.TaskCatalog.Of(typeof(global::Platform.Build.Core.Context.BuildContext).Assembly);
        for (var i = 0; i < order.Count; i++)
        {
            foreach (var dependency in catalog.Find(order[i])!.Dependencies.Select(d => catalog[d].Name))
            {
                Assert.True(order.IndexOf(dependency) is >= 0 and var at && at < i, $"{dependency} must run before {order[i]}");
            }
        }
    }
}
