using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.4")]
[TaskDescription("Task 3.4: Configure Repository Access - repository credentials from the environment, connection check")]
[IsDependentOn(typeof(InstallArgoCd))]
public sealed class ConfigureRepositoryAccess : SeedTask
{
    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("register the Git repository with Argo CD", Needs.Cluster);

    protected override void Define(Checklist checklist) =>
        checklist
            .Manual("Can browse repository contents", "open Settings > Repositories in the Argo CD UI and browse the repository");
}
