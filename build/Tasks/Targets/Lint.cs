using Platform.Build.Core.Context;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Phase1;
using Platform.Build.Tasks.Phase2;
using Platform.Build.Tasks.Phase3;
using Platform.Build.Tasks.Phase4;

namespace Platform.Build.Tasks.Targets;

// An aggregate target: no work of its own, only a place in the graph; the
// run mode (Lint, Validate or live) follows from the targets asked for.
[OfflineTarget(RunMode.Lint)]
[TaskDescription("Lint: formatting and linting of every tree (offline; changes nothing)")]
[IsDependentOn(typeof(Doctor))]
[IsDependentOn(typeof(ApplyInfrastructure))]
[IsDependentOn(typeof(ExecuteKubernetesSetup))]
[IsDependentOn(typeof(ConfigureArgoCdProjects))]
[IsDependentOn(typeof(ConfigureRepositoryAccess))]
[IsDependentOn(typeof(ConfigureMonitoring))]
public sealed class Lint : FrostingTask<BuildContext>;
