using Platform.Build.ArgoCd;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.4")]
[TaskDescription("Task 3.4: Configure Repository Access - repository Secret built at run time from PLATFORM_GIT_TOKEN or --git-token-file")]
[IsDependentOn(typeof(InstallArgoCd))]
public sealed class ConfigureRepositoryAccess : SeedTask
{
    public override PlatformAction Action => new("register the Git repository with Argo CD", Needs.Cluster, c => c.ArgoCd.Register());

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("Repository shows \"Successful\" in ArgoCD", Needs.Cluster, c => c.ArgoCd.ConnectionState())
            .Manual("Can browse repository contents", "open Settings > Repositories in the Argo CD UI and browse the repository")
            .Offline("Credentials stored securely", c => c.ArgoCd.StoredSecurely()).Reading(KubernetesInputs.All.And(".gitignore"));
}
