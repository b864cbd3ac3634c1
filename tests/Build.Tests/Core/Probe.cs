using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>
/// A two-task platform (9.1 Probe, 9.2 Drifting) with its own spec, to test
/// how statuses, actions, modes and reports behave on the real engine.
/// </summary>
public static class Probe
{
    public const string Spec = """
        # Probe tasks

        ### Task 9.1: Probe Things
        **Build task**: `ProbeTask`
        **Dependencies**: None

        **Validation**:
        - [ ] Lint item
        - [ ] Offline item
        - [ ] Live AWS item
        - [ ] Live cluster item
        - [ ] Manual item
        - [ ] Unwired item

        ### Task 9.3: Use Hosts
        **Build task**: `HostsTask`
        **Dependencies**: Task 9.1

        **Validation**:

        ### Task 9.4: Crash
        **Build task**: `CrashingTask`
        **Dependencies**: None

        **Validation**:

        ### Task 9.2: Drift Things
        **Build task**: `DriftingTask`
        **Dependencies**: Task 9.1

        **Validation**:
        - [ ] Known item
        """;

    public static readonly List<string> Calls = [];

    /// <summary>When set, the offline item fails (to test keep-going and stop).</summary>
    public static bool FailOffline { get; set; }

    /// <summary>When set, the drifting task binds an item its spec does not list.</summary>
    public static bool Drift { get; set; }

    [SeedTask("9.1")]
    [TaskDescription("Task 9.1: Probe Things - exercises every status")]
    public sealed class ProbeTask : SeedTask
    {
        public override PlatformAction Action => new("change the probe", Needs.AwsCredentials, _ =>
        {
            Calls.Add("action");
            return Task.FromResult(Outcome.Pass("changed"));
        });

        protected override void Define(Checklist checklist) =>
            checklist
                .Lint("Lint item", _ => Record("lint", Outcome.Pass("lint ok")))
                .Offline("Offline item", _ => Record("offline", FailOffline ? Outcome.Fail("offline broke") : Outcome.Pass("offline ok")))
                .Live("Live AWS item", Needs.AwsCredentials, _ => Task.FromResult(Record("live-aws", Outcome.Pass("aws ok"))))
                .Live("Live cluster item", Needs.Cluster, _ => Task.FromResult(Record("live-cluster", Outcome.Pass("cluster ok"))))
                .Manual("Manual item", "look at it");
    }

    [SeedTask("9.2")]
    [TaskDescription("Task 9.2: Drift Things - binds an item the spec may not have")]
    [IsDependentOn(typeof(ProbeTask))]
    public sealed class DriftingTask : SeedTask
    {
        protected override void Define(Checklist checklist)
        {
            checklist.Offline("Known item", _ => Record("known", Outcome.Pass("known ok")));
            if (Drift)
            {
                checklist.Offline("Item the spec lacks", _ => Outcome.Pass("should not count"));
            }
        }
    }

    // Offline targets as the real ones are marked, so the run mode follows as it does for them.
    [OfflineTarget(RunMode.Validate)]
    [IsDependentOn(typeof(DriftingTask))]
    public sealed class Validate : FrostingTask<BuildContext>;

    [OfflineTarget(RunMode.Lint)]
    [IsDependentOn(typeof(DriftingTask))]
    public sealed class Lint : FrostingTask<BuildContext>;

    /// <summary>An action needing only the Terraform outputs file (like Task 2.8), to test when a run can change things.</summary>
    [SeedTask("9.3")]
    [TaskDescription("Task 9.3: Use Hosts - acts on the hosts of the outputs file")]
    [IsDependentOn(typeof(ProbeTask))]
    public sealed class HostsTask : SeedTask
    {
        public override PlatformAction Action => new("act on the hosts", Needs.Hosts, _ =>
        {
            Calls.Add("hosts-action");
            return Task.FromResult(Outcome.Pass("acted"));
        });
    }

    /// <summary>Breaks outside its checks (a crash), to test that a crash is never a clean run.</summary>
    [SeedTask("9.4")]
    [TaskDescription("Task 9.4: Crash - throws from its run")]
    public sealed class CrashingTask : SeedTask
    {
        public override Task RunAsync(BuildContext context) => throw new InvalidOperationException("crashed outside the checks");
    }

    public static readonly Type[] Tasks = [typeof(ProbeTask), typeof(DriftingTask), typeof(HostsTask), typeof(CrashingTask), typeof(Validate), typeof(Lint)];

    public static void Reset()
    {
        Calls.Clear();
        FailOffline = false;
        Drift = false;
    }

    public static TempRepo NewRepo()
    {
        var repo = new TempRepo(withSpec: false);
        repo.Write("specs/platform/tasks.md", Spec);
        return repo;
    }

    public static RunResult Run(TempRepo repo, params string[] args) =>
        BuildRun.Platform(host => host.WithTasks(Tasks), [.. args, $"--working={repo.Root}"]);

    private static Outcome Record(string name, Outcome outcome)
    {
        Calls.Add(name);
        return outcome;
    }
}
