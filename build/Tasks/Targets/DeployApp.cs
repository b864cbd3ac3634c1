using Cake.Core.Diagnostics;
using Platform.Build.Core.Context;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Phase3;
using Platform.Build.Tasks.Phase4;

namespace Platform.Build.Tasks.Targets;

// An aggregate target: no work of its own, only a place in the graph; the
// run mode (Lint, Validate or live) follows from the targets asked for.
// 3.4 is not on 4.5's seed chain, but Argo CD cannot sync from a private
// repository without it, so a deployment asks for it too.
[TaskDescription("DeployApp: the whole chain from Task 1.1 to 4.5 for --env, with repository access (prod needs --confirm=prod)")]
[IsDependentOn(typeof(ConfigureRepositoryAccess))]
[IsDependentOn(typeof(DeployApplication))]
public sealed class DeployApp : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) =>
        context.Log.Information("DeployApp finished for {0}.", context.Options.EnvironmentName);
}
