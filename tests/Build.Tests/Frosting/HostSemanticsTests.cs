using Cake.Core;
using Xunit;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Frosting;

/// <summary>
/// The Frosting semantics our host must keep, proven on Cake's real engine
/// with small task graphs: A <- B <- C, A <- D.
/// </summary>
public sealed class HostSemanticsTests : IDisposable
{
    private static readonly List<string> Ran = [];

    public HostSemanticsTests() => Ran.Clear();

    public void Dispose() => Ran.Clear();

    [TaskDescription("first")]
    public sealed class A : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("A");
    }

    [IsDependentOn(typeof(A))]
    public sealed class B : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("B");
    }

    [IsDependentOn(typeof(B))]
    [TaskName("Sea")]
    public sealed class C : AsyncFrostingTask
    {
        public override async Task RunAsync(ICakeContext context)
        {
            await Task.Yield();
            Ran.Add("C");
        }
    }

    [IsDependentOn(typeof(A))]
    public sealed class D : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("D");
    }

    public sealed class NeedsCredentials : FrostingTask
    {
        public override bool ShouldRun(ICakeContext context) => false;
        public override string SkippedMessage => "needs AWS credentials";
        public override void Run(ICakeContext context) => Ran.Add("NeedsCredentials");
    }

    [IsDependentOn(typeof(NeedsCredentials))]
    public sealed class AfterSkip : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("AfterSkip");
    }

    public sealed class Handled : FrostingTask
    {
        public override void Run(ICakeContext context) => throw new InvalidOperationException("handled boom");
        public override void OnError(Exception exception, ICakeContext context) => Ran.Add("OnError:" + exception.Message);
        public override void Finally(ICakeContext context) => Ran.Add("Finally:Handled");
    }

    [IsDependentOn(typeof(Handled))]
    public sealed class AfterHandled : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("AfterHandled");
    }

    public sealed class Broken : FrostingTask
    {
        public override void Run(ICakeContext context) => throw new InvalidOperationException("broken boom");
        public override void Finally(ICakeContext context) => Ran.Add("Finally:Broken");
    }

    [IsDependentOn(typeof(Broken))]
    public sealed class AfterBroken : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("AfterBroken");
    }

    [ContinueOnError]
    public sealed class Tolerated : FrostingTask
    {
        public override void Run(ICakeContext context) => throw new InvalidOperationException("tolerated boom");
    }

    [IsDependentOn(typeof(Tolerated))]
    public sealed class AfterTolerated : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("AfterTolerated");
    }

    public sealed class Args : FrostingTask
    {
        public override void Run(ICakeContext context) =>
            Ran.Add($"foo={context.Arguments.GetArgument("foo")};flag={context.Arguments.GetArgument("flag")};spaced={context.Arguments.GetArgument("spaced")}");
    }

    public sealed class Before : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("Before");
    }

    [IsDependeeOf(typeof(A))]
    public sealed class RunsBeforeA : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("RunsBeforeA");
    }

    public sealed class Lifetime : FrostingLifetime<ICakeContext>
    {
        public override void Setup(ICakeContext context, ISetupContext info) => Ran.Add("Setup");
        public override void Teardown(ICakeContext context, ITeardownContext info) => Ran.Add($"Teardown:{info.Successful}");
    }

    public sealed class TaskLifetime : FrostingTaskLifetime<ICakeContext>
    {
        public override void Setup(ICakeContext context, ITaskSetupContext info) => Ran.Add($"+{info.Task.Name}");
        public override void Teardown(ICakeContext context, ITaskTeardownContext info) => Ran.Add($"-{info.Task.Name}");
    }

    public sealed class FailingTeardown : FrostingLifetime<ICakeContext>
    {
        public override void Setup(ICakeContext context, ISetupContext info)
        {
        }

        public override void Teardown(ICakeContext context, ITeardownContext info) => throw new InvalidOperationException("teardown says no");
    }

    private static RunResult Run(Type[] tasks, params string[] args) => BuildRun.Host(new CakeHost().WithTasks(tasks), args);

    private static readonly Type[] Chain = [typeof(A), typeof(B), typeof(C), typeof(D)];

    [Fact]
    public void Dependencies_run_first_in_declared_order()
    {
        var result = Run(Chain, "--target=Sea");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["A", "B", "C"], Ran);
    }

    [Fact]
    public void TaskName_attribute_names_the_task_and_the_class_name_is_the_default()
    {
        Assert.Equal(0, Run(Chain, "-t", "B").ExitCode);
        Assert.Equal(1, Run(Chain, "-t", "C").ExitCode); // C is called "Sea": an unknown target fails the run, as in Frosting
    }

    [Fact]
    public void Criteria_skip_runs_dependents_and_shows_the_reason_in_the_summary()
    {
        var result = Run([typeof(NeedsCredentials), typeof(AfterSkip)], "--target=AfterSkip");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["AfterSkip"], Ran);
        Assert.Matches(@"NeedsCredentials\s+-\s+Skipped\s+needs AWS credentials", result.Output);
    }

    [Fact]
    public void OnError_receives_the_exception_handles_it_and_the_build_goes_on()
    {
        var result = Run([typeof(Handled), typeof(AfterHandled)], "--target=AfterHandled");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["OnError:handled boom", "Finally:Handled", "AfterHandled"], Ran);
        Assert.Matches(@"Handled\s+\S+\s+Failed", result.Output);
    }

    [Fact]
    public void Failure_stops_dependents_runs_Finally_and_prints_the_summary()
    {
        var result = Run([typeof(Broken), typeof(AfterBroken)], "--target=AfterBroken");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Finally:Broken"], Ran);
        Assert.Matches(@"Broken\s+\S+\s+Failed", result.Output);
        Assert.Contains("Error: broken boom", result.Output);
    }

    [Fact]
    public void ContinueOnError_goes_on_and_reports_the_task_failed()
    {
        var result = Run([typeof(Tolerated), typeof(AfterTolerated)], "--target=AfterTolerated");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["AfterTolerated"], Ran);
        Assert.Matches(@"Tolerated\s+\S+\s+Failed", result.Output);
    }

    [Fact]
    public void Exclusive_runs_only_the_target()
    {
        var result = Run(Chain, "--target=Sea", "--exclusive");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["C"], Ran);
    }

    [Fact]
    public void Two_targets_share_one_graph_and_a_common_dependency_runs_once()
    {
        var result = Run(Chain, "-t", "B", "-t", "D");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, Ran.Count(r => r == "A"));
        Assert.Equal(["A", "B", "D"], Ran);
    }

    [Fact]
    public void IsDependeeOf_runs_the_task_before_the_one_it_names()
    {
        var result = Run([typeof(A), typeof(RunsBeforeA)], "--target=A");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["RunsBeforeA", "A"], Ran);
    }

    [Fact]
    public void Lifetimes_wrap_the_run_and_each_task()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(A), typeof(B)).UseLifetime<Lifetime>().UseTaskLifetime<TaskLifetime>(), "--target=B");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Setup", "+A", "A", "-A", "+B", "B", "-B", "Teardown:True"], Ran);
    }

    [Fact]
    public void Teardown_runs_after_a_failure_too()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(Broken)).UseLifetime<Lifetime>(), "--target=Broken");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Teardown:False", Ran[^1]);
    }

    [Fact]
    public void A_teardown_failure_fails_the_run_with_its_message()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(A)).UseLifetime<FailingTeardown>(), "--target=A");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["A"], Ran);
        Assert.Contains("Error: teardown says no", result.Output);
    }

    [Fact]
    public void Other_options_reach_the_context_arguments()
    {
        var result = Run([typeof(Args)], "--target=Args", "--foo=bar", "--flag", "--spaced", "two words");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["foo=bar;flag=true;spaced=two words"], Ran);
    }

    [Fact]
    public void Dryrun_lists_the_tasks_in_order_and_runs_nothing()
    {
        var result = Run(Chain, "--target=Sea", "--dryrun");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Ran);
        Assert.Matches(@"1\. A\s+2\. B\s+3\. Sea", result.Output);
    }

    [Theory]
    [InlineData("--tree")]
    [InlineData("--showtree")]
    public void Tree_shows_the_dependencies_of_the_target(string option)
    {
        var result = Run(Chain, "--target=Sea", option);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Ran);
        Assert.Matches(@"Sea\s+└─B\s+└─A", result.Output);
    }

    [Fact]
    public void Tree_without_a_target_shows_every_root()
    {
        var result = Run(Chain, "--tree");

        Assert.Contains("Sea", result.Output);
        Assert.Matches(@"(?m)^D\s*$", result.Output);
    }

    [Fact]
    public void Description_lists_every_task_with_its_description()
    {
        var result = Run(Chain, "--description");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"A\s+first", result.Output);
        Assert.Contains("Sea", result.Output);
    }

    [Fact]
    public void Unknown_target_fails_the_run_in_one_line_as_Frosting_does()
    {
        var result = Run(Chain, "--target=Se");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(Ran);
        Assert.Equal("Error: The target 'Se' was not found.", Assert.Single(result.Output.Trim().Split('\n')));
    }

    [Fact]
    public void Several_unknown_targets_are_all_named_in_one_line()
    {
        var result = Run(Chain, "--target=Se", "--target=Bee", "--target=Nothing-like-it");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(Ran);
        Assert.Equal("Error: The targets 'Se', 'Bee', 'Nothing-like-it' were not found.", Assert.Single(result.Output.Trim().Split('\n')));
    }

    [Fact]
    public void Tree_with_an_unknown_target_shows_every_root_and_succeeds()
    {
        // Frosting's tree ignores the targets; an unknown one is no error there either.
        var result = Run(Chain, "--target=Nothing", "--tree");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Ran);
        Assert.Matches(@"Sea\s+└─B\s+└─A", result.Output);
        Assert.DoesNotContain("was not found", result.Output);
    }

    public sealed class Aggregate : FrostingTask
    {
        // No Run: a place in the graph only, which Cake records as Delegated.
    }

    /// <summary>Records the statuses Cake's engine reports, in place of Cake's printer (a service like any other).</summary>
    public sealed class StatusPrinter : ICakeReportPrinter
    {
        public void Write(CakeReport report) => Ran.AddRange(report.Select(e => $"{e.TaskName}:{e.ExecutionStatus}"));
        public void WriteStep(string name, Cake.Core.Diagnostics.Verbosity verbosity) { }
        public void WriteLifeCycleStep(string name, Cake.Core.Diagnostics.Verbosity verbosity) { }
        public void WriteSkippedStep(string name, Cake.Core.Diagnostics.Verbosity verbosity) { }
    }

    [Fact]
    public void A_task_without_Run_is_Delegated_and_the_report_printer_is_the_builds_to_replace()
    {
        var result = BuildRun.Host(
            new CakeHost().WithTasks(typeof(A), typeof(Aggregate))
                .ConfigureServices(s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<ICakeReportPrinter, StatusPrinter>(s)),
            "--target=Aggregate");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Aggregate:Delegated"], Ran);
    }

    [Fact]
    public void Verbose_says_Executing_task_once_per_task()
    {
        var result = Run([typeof(A)], "--target=A", "--verbosity=verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(result.Output, "Executing task: A"));
    }

    [Theory]
    [InlineData("--verbosity=loud", "--verbosity=loud is not valid", -1)]
    [InlineData("stray", "unexpected argument 'stray'", -1)]
    [InlineData("--tree=maybe", "--tree=maybe is not valid", -1)]
    [InlineData("--working=/no/such/dir", "The working directory '/no/such/dir' does not exist.", 1)]
    public void Bad_command_lines_are_one_line_errors_with_Frostings_exit_codes(string argument, string message, int exitCode)
    {
        // Frosting: -1 (a 255 process exit) when the command line does not parse, 1 when the run fails.
        var result = Run(Chain, argument);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.Output.Trim().Split('\n')));
    }

    [Fact]
    public void Version_and_help_print_and_exit_0()
    {
        var version = Run(Chain, "--version");
        var help = Run(Chain, "--help");

        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"Cake\.Core 7\.0", version.Output);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--target=NAME", help.Output);
        Assert.Empty(Ran);
    }

    [Fact]
    public void Working_directory_option_sets_where_the_build_runs()
    {
        using var repo = new TempRepo(withSpec: false);
        string? seen = null;
        var host = new CakeHost().WithTasks(typeof(WhereAmI));
        WhereAmI.Seen = s => seen = s;

        Assert.Equal(0, BuildRun.Host(host, "--target=WhereAmI", $"--working={repo.Root}").ExitCode);
        Assert.Equal(new DirectoryInfo(repo.Root).FullName, seen);
    }

    [Fact]
    public void UseWorkingDirectory_sets_where_the_build_runs_and_the_option_wins_over_it()
    {
        using var repo = new TempRepo(withSpec: false);
        Directory.CreateDirectory(repo.Path("other"));
        var seen = new List<string>();
        WhereAmI.Seen = seen.Add;
        CakeHost Host() => new CakeHost().WithTasks(typeof(WhereAmI)).UseWorkingDirectory(new Cake.Core.IO.DirectoryPath(repo.Root));

        Assert.Equal(0, BuildRun.Host(Host(), "--target=WhereAmI").ExitCode);
        Assert.Equal(0, BuildRun.Host(Host(), "--target=WhereAmI", $"--working={repo.Path("other")}").ExitCode);

        Assert.Equal([new DirectoryInfo(repo.Root).FullName, new DirectoryInfo(repo.Path("other")).FullName], seen);
    }

    public sealed class WhereAmI : FrostingTask
    {
        public static Action<string> Seen { get; set; } = _ => { };
        public override void Run(ICakeContext context) => Seen(context.Environment.WorkingDirectory.FullPath);
    }
}
