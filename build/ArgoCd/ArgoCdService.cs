using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.ArgoCd;

/// <summary>
/// What the tasks ask of ArgoCd (Tasks 3.1, 3.2, 3.4): the Argo CD install values, the install and its probes against a cluster, repository access. Tasks call these as
/// <c>c.ArgoCd.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class ArgoCdService(BuildContext context)
{
    public Outcome InstallParses() => KubernetesChecks.RenderStrict(context, ArgoCdInstall.Folder);
    public Outcome ArgoCdReadme() => ArgoCdChecks.ArgoCdReadme(context);
    public Outcome ArgoCdSettings() => ArgoCdChecks.ArgoCdSettings(context);
    public Outcome StoredSecurely() => RepositoryAccess.StoredSecurely(context.Paths);

    // Live: each needs what its task declares (a cluster, AWS credentials, the hosts).
    public Task<Outcome> AdminLogin() => new ArgoCdLive(context).AdminLogin();
    public Task<Outcome> ConnectionState() => new RepositoryAccess(context).ConnectionState();
    public Task<Outcome> Install(TimeSpan timeout) => new ArgoCdLive(context).Install(timeout);
    public Task<Outcome> PodsRunning() => new ArgoCdLive(context).PodsRunning();
    public Task<Outcome> ProbeApplication(TimeSpan timeout) => new ArgoCdLive(context).ProbeApplication(timeout);
    public Task<Outcome> Register() => new RepositoryAccess(context).Register();
    public Task<Outcome> ServerDryRun() => new ArgoCdLive(context).ServerDryRun();
    public Task<Outcome> UiAccessible() => new ArgoCdLive(context).UiAccessible();
}

public static class ArgoCdServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>ArgoCd's checks and actions for the tasks.</summary>
        public ArgoCdService ArgoCd => new(context);
    }
}
