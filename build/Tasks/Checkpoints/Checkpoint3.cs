using Platform.Build.ArgoCd;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Tasks.Phase3;
using Platform.Build.Tenancy;

namespace Platform.Build.Tasks.Checkpoints;

[TaskDescription("Checkpoint 3: ArgoCD Operational - Phase 3 done (run after the projects and the repository)")]
[IsDependentOn(typeof(ConfigureArgoCdProjects))]
[IsDependentOn(typeof(ConfigureRepositoryAccess))]
public sealed class Checkpoint3 : CheckpointTask
{
    public override int Number => 3;

    protected override void Define(Checklist checklist) =>
        checklist
            .Derived("ArgoCD installed and accessible",
                (nameof(InstallArgoCd), "All ArgoCD pods running"), (nameof(InstallArgoCd), "ArgoCD UI accessible"))
            .Derived("Projects configured per organization",
                (nameof(ConfigureArgoCdProjects), "Projects created in ArgoCD"), (nameof(ConfigureArgoCdProjects), "Projects have correct permissions"))
            .Derived("Repository connected", (nameof(ConfigureRepositoryAccess), "Repository shows \"Successful\" in ArgoCD"))
            .Live("Can create applications", Needs.Cluster, c => c.ArgoCd.ProbeApplication(TimeSpan.FromMinutes(2)))
            .Live("RBAC working correctly", Needs.Cluster, c => c.Tenancy.DeployersRefused());
}
