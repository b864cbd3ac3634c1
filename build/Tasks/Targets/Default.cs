using Platform.Build.Core.Context;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Targets;

// An aggregate target: no work of its own, only a place in the graph; the
// run mode (Lint, Validate or live) follows from the targets asked for.
[OfflineTarget(RunMode.Validate)]
[TaskDescription("Default: the main job, Validate")]
[IsDependentOn(typeof(Validate))]
public sealed class Default : FrostingTask<BuildContext>;
