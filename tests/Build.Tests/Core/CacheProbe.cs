using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>A small platform whose checks count their runs, to test what the result cache replays and what it reruns.</summary>
public static class CacheProbe
{
    public const string Spec = """
        # Cache probe tasks

        ### Task 8.1: Read Inputs
        **Build task**: `ReadInputs`
        **Dependencies**: None

        **Validation**:
        - [ ] Reads its inputs
        - [ ] Reads the repository
        - [ ] Shows an exhibit
        - [ ] Reads a tool and a variable
        - [ ] Live item
        - [ ] Manual item

        ### Task 8.2: Follow Inputs
        **Build task**: `FollowInputs`
        **Dependencies**: Task 8.1

        **Validation**:
        - [ ] Follows the input check
        """;

    public static readonly List<string> Calls = [];

    [SeedTask("8.1")]
    [TaskDescription("Task 8.1: Read Inputs - checks that read declared inputs")]
    public sealed class ReadInputs : SeedTask
    {
        protected override void Define(Checklist checklist) =>
            checklist
                .Offline("Reads its inputs", c => Record("inputs", Read(c, "inputs/a.txt"))).Reading("inputs/**")
                .Offline("Reads the repository", c => Record("repository", Read(c, "other/b.txt")))
                .Offline("Shows an exhibit", c =>
                {
                    c.Ledger.AddExhibit(new Exhibit("Probe exhibit", "| a | b |\n|---|---|\n| 1 | 2 |"));
                    return Record("exhibit", Outcome.Pass("exhibit added"));
                }).Reading("inputs/**")
                .Lint("Reads a tool and a variable", c =>
                {
                    // As a tool wrapper logs the tool's output: at Verbose.
                    c.Log.Write(Cake.Core.Diagnostics.Verbosity.Verbose, Cake.Core.Diagnostics.LogLevel.Information, "    probe tool output line");
                    return Record("tool", Outcome.Pass("tool ok"));
                }).Reading()
                .Live("Live item", Needs.AwsCredentials, _ => Task.FromResult(Record("live", Outcome.Pass("live ok"))))
                .Manual("Manual item", "look at it");
    }

    [SeedTask("8.2")]
    [TaskDescription("Task 8.2: Follow Inputs - a derived item")]
    [IsDependentOn(typeof(ReadInputs))]
    public sealed class FollowInputs : SeedTask
    {
        protected override void Define(Checklist checklist) =>
            checklist.Derived("Follows the input check", ("ReadInputs", "Reads its inputs"));
    }

    [OfflineTarget(RunMode.Validate)]
    [IsDependentOn(typeof(FollowInputs))]
    public sealed class Validate : FrostingTask<BuildContext>;

    public static readonly Type[] Tasks = [typeof(ReadInputs), typeof(FollowInputs), typeof(Validate)];

    public static TempRepo NewRepo()
    {
        var repo = new TempRepo(withSpec: false);
        repo.Write("specs/platform/tasks.md", Spec);
        repo.Write("inputs/a.txt", "good");
        repo.Write("other/b.txt", "good");
        return repo;
    }

    public static RunResult Run(TempRepo repo, params string[] args) =>
        BuildRun.Platform(host => host.WithTasks(Tasks), ["--target=Validate", .. args, $"--working={repo.Root}"]);

    /// <summary>Passes while the file says "good", fails when it says anything else.</summary>
    private static Outcome Read(BuildContext context, string file)
    {
        var path = context.Paths.Combine(file);
        var text = File.Exists(path) ? File.ReadAllText(path).Trim() : "(missing)";
        return text == "good" ? Outcome.Pass($"{file}: good") : Outcome.Fail($"{file}: {text}");
    }

    private static Outcome Record(string name, Outcome outcome)
    {
        lock (Calls)
        {
            Calls.Add(name);
        }

        return outcome;
    }
}
