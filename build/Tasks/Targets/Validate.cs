using Platform.Build.Core.Context;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Checkpoints;

namespace Platform.Build.Tasks.Targets;

// An aggregate target: no work of its own, only a place in the graph; the
// run mode (Lint, Validate or live) follows from the targets asked for.
[OfflineTarget(RunMode.Validate)]
[TaskDescription("Validate: every check that needs no cloud credentials and no cluster (offline; changes nothing)")]
[IsDependentOn(typeof(Doctor))]
[IsDependentOn(typeof(Checkpoint1))]
[IsDependentOn(typeof(Checkpoint2))]
[IsDependentOn(typeof(Checkpoint3))]
[IsDependentOn(typeof(Checkpoint4))]
[IsDependentOn(typeof(Audit))]
[IsDependentOn(typeof(PostImplementation.ProductionReadiness))]
public sealed class Validate : FrostingTask<BuildContext>;
