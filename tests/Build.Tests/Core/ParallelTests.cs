using System.Text.Json;
using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>
/// Tasks of different phases run side by side (--parallel above 1, offline),
/// on Cake's engine: the console and the reports stay in task order,
/// criteria still decide, and --parallel=1 or a live run keeps one at a time.
/// </summary>
public sealed class ParallelTests : IDisposable
{
    private const string Spec = """
        # Parallel probe

        ### Task 7.1: Slow Phase
        **Build task**: `SlowTask`
        **Dependencies**: None

        **Validation**:
        - [ ] Waits for the other phase

        ### Task 6.1: Fast Phase
        **Build task**: `FastTask`
        **Dependencies**: None

        **Validation**:
        - [ ] Starts at once

        ### Task 5.1: Never Phase
        **Build task**: `NeverTask`
        **Dependencies**: None

        **Validation**:
        - [ ] Never runs
        """;

    private static readonly ManualResetEventSlim FastStarted = new();

    // How long the slow task waits for the fast one: long where they must meet (a loaded CI
    // machine may take seconds to start a thread), short where one at a time means they never do.
    private static TimeSpan _wait = TimeSpan.FromSeconds(1);
    private static readonly List<string> Calls = [];

    private readonly TempRepo _repo = new(withSpec: false);
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public ParallelTests()
    {
        _repo.Write("specs/platform/tasks.md", Spec);
        FastStarted.Reset();
        Calls.Clear();
        _wait = TimeSpan.FromSeconds(1);
    }

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    [SeedTask("7.1")]
    [TaskDescription("Task 7.1: Slow Phase")]
    public sealed class SlowTask : SeedTask
    {
        protected override void Define(Checklist checklist) =>
            checklist.Offline("Waits for the other phase", _ =>
            {
                // Beside the fast task, it sees that one start; one at a time, the fast task has not started yet.
                var beside = FastStarted.Wait(_wait);
                Add("slow");
                return Outcome.Pass(beside ? "ran beside the fast task" : "ran alone");
            });
    }

    [SeedTask("6.1")]
    [TaskDescription("Task 6.1: Fast Phase")]
    public sealed class FastTask : SeedTask
    {
        protected override void Define(Checklist checklist) =>
            checklist.Offline("Starts at once", _ =>
            {
                // Recorded before the other phase is let go: once set, the slow task may record first.
                Add("fast");
                FastStarted.Set();
                return Outcome.Pass("fast ok");
            });
    }

    [SeedTask("5.1")]
    [TaskDescription("Task 5.1: Never Phase")]
    public sealed class NeverTask : SeedTask
    {
        public override bool ShouldRun(BuildContext context) => false;

        protected override void Define(Checklist checklist) =>
            checklist.Offline("Never runs", _ =>
            {
                Add("never");
                return Outcome.Pass("should not run");
            });
    }

    [OfflineTarget(RunMode.Validate)]
    [IsDependentOn(typeof(SlowTask))]
    [IsDependentOn(typeof(FastTask))]
    [IsDependentOn(typeof(NeverTask))]
    public sealed class Validate : FrostingTask<BuildContext>;

    /// <summary>The same graph, as a live target (it is not an offline target).</summary>
    [IsDependentOn(typeof(SlowTask))]
    [IsDependentOn(typeof(FastTask))]
    public sealed class Both : FrostingTask<BuildContext>;

    private static void Add(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }
    }

    private RunResult Run(params string[] args) =>
        BuildRun.Platform(host => host.WithTasks([typeof(SlowTask), typeof(FastTask), typeof(NeverTask), typeof(Validate), typeof(Both)]),
            [.. args, "--no-cache", $"--working={_repo.Root}"]);

    private List<(string Task, string Detail)> Rows()
    {
        using var json = JsonDocument.Parse(_repo.Read("artifacts/reports/checks.json"));
        return [.. json.RootElement.GetProperty("Results").EnumerateArray()
            .Select(r => (r.GetProperty("Task").GetString()!, r.GetProperty("Detail").GetString()!))];
    }

    [Fact]
    public void Phases_run_side_by_side_and_the_console_and_reports_stay_in_task_order()
    {
        _wait = TimeSpan.FromSeconds(60);
        var result = Run("--target=Validate", "--parallel=2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["fast", "slow"], Calls);
        Assert.Contains((nameof(SlowTask), "ran beside the fast task"), Rows());
        var tasks = Rows().Select(r => r.Task).Where(t => t != "Spec").ToList();
        Assert.Equal([nameof(SlowTask), nameof(FastTask)], tasks);
        Assert.True(result.Output.IndexOf("7.1 SlowTask", StringComparison.Ordinal) < result.Output.IndexOf("6.1 FastTask", StringComparison.Ordinal), result.Output);
    }

    [Fact]
    public void Parallel_1_runs_one_task_after_another()
    {
        var result = Run("--target=Validate", "--parallel=1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["slow", "fast"], Calls);
        Assert.Contains((nameof(SlowTask), "ran alone"), Rows());
    }

    [Fact]
    public void A_live_run_runs_one_task_after_another()
    {
        var result = Run("--target=Both", "--parallel=2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["slow", "fast"], Calls);
        Assert.Contains((nameof(SlowTask), "ran alone"), Rows());
    }

    [Fact]
    public void A_task_whose_criteria_say_no_is_never_started_ahead()
    {
        var result = Run("--target=Validate", "--parallel=2");

        Assert.DoesNotContain("never", Calls);
        Assert.Contains("NeverTask", result.Output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("many")]
    [InlineData("-2")]
    public void A_bad_parallel_value_is_refused(string value)
    {
        var result = Run("--target=Validate", $"--parallel={value}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--parallel={value} is not valid: give a number of tasks from 1 to 64", result.Output);
        Assert.Empty(Calls);
    }
}
