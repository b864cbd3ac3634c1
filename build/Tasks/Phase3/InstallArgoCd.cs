using Platform.Build.ArgoCd;
using Platform.Build.Core.Checks;
using Platform.Build.Kubernetes;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase3;

[SeedTask("3.2")]
[TaskDescription("Task 3.2: Install ArgoCD - applies Argo CD, waits for Ready, stores the admin password (0600)")]
[IsDependentOn(typeof(CreateArgoCdManifests))]
public sealed class InstallArgoCd : SeedTask
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public override PlatformAction Action => new(
        "install the pinned Argo CD chart for --env and wait until every pod is Ready",
        Needs.Cluster,
        c => c.ArgoCd.Install(Timeout));

    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(KubernetesInputs.All)
            .Live("All ArgoCD pods running", Needs.Cluster, c => c.ArgoCd.PodsRunning())
            .Live("ArgoCD UI accessible", Needs.Cluster, c => c.ArgoCd.UiAccessible())
            .Live("Can login with admin credentials", Needs.Cluster, c => c.ArgoCd.AdminLogin());
}
