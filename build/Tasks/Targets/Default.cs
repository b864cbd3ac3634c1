using Cake.Core.Diagnostics;
using Platform.Build.Context;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Checkpoints;
using Platform.Build.Tasks.Phase1;
using Platform.Build.Tasks.Phase2;
using Platform.Build.Tasks.Phase3;
using Platform.Build.Tasks.Phase4;

namespace Platform.Build.Tasks.Targets;

// An aggregate target: no work of its own, only a place in the graph; the
// run mode (Lint, Validate or live) follows from the targets asked for.
[TaskDescription("Default: the main job, Validate")]
[IsDependentOn(typeof(Validate))]
public sealed class Default : FrostingTask<BuildContext>;
