using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Apps;

/// <summary>
/// What the tasks ask of Apps (Tasks 4.3-4.5, DeployApp and RollbackApp): a tenant application: its overlays and workload rules, its Argo CD Applications, and deploying, checking and rolling it back live. Tasks call these as
/// <c>c.Apps.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class AppsService(BuildContext context)
{
    public Outcome Admitted(TenantApplication app) => ApplicationChecks.Admitted(context, app);
    public Outcome DexConfiguration(TenantApplication app) => ApplicationChecks.DexConfiguration(context, app);
    public Outcome FitsQuota(TenantApplication app) => ApplicationChecks.FitsQuota(context, app);
    public Outcome HostsOwned(TenantApplication app) => ApplicationChecks.HostsOwned(context, app);
    public Outcome NetworkAdmission(TenantApplication app) => ApplicationChecks.NetworkAdmission(context, app);
    public Outcome OverlaysComplete(TenantApplication app) => ApplicationChecks.OverlaysComplete(context, app);
    public Outcome OverlaysDifferAsIntended(TenantApplication app) => ApplicationChecks.OverlaysDifferAsIntended(context, app);
    public Outcome PodSecurity(TenantApplication app) => ApplicationChecks.PodSecurity(context, app);
    public Outcome PointsToCorrectPath(TenantApplication app) => ArgoApplicationChecks.PointsToCorrectPath(context, app);
    public Outcome Readme(TenantApplication app) => ApplicationChecks.Readme(context, app);
    public Outcome References(TenantApplication app) => ApplicationChecks.References(context, app);
    public Outcome Reliability(TenantApplication app) => ApplicationChecks.Reliability(context, app);
    public Outcome SecretsReferenced(TenantApplication app) => ApplicationChecks.SecretsReferenced(context, app);
    public Outcome SyncPolicy(TenantApplication app) => ArgoApplicationChecks.SyncPolicy(context, app);
    public Outcome WithinProject(TenantApplication app) => ArgoApplicationChecks.WithinProject(context, app);

    // Live: each needs what its task declares (a cluster, AWS credentials, the hosts).
    public Task<Outcome> Accessible(TenantApplication app) => new ApplicationLive(context, app).Accessible();
    public Task<Outcome> Appears(TenantApplication app) => new ApplicationLive(context, app).Appears();
    public Task<Outcome> Deploy(TenantApplication app, TimeSpan timeout) => new ApplicationLive(context, app).Deploy(timeout);
    public Task<Outcome> FollowsGit(TenantApplication app) => new ApplicationLive(context, app).FollowsGit();
    public Task<Outcome> Healthy(TenantApplication app) => new ApplicationLive(context, app).Healthy();
    public Task<Outcome> PodsRunning(TenantApplication app) => new ApplicationLive(context, app).PodsRunning();
    public Task<Outcome> Rollback(TenantApplication app, long id, TimeSpan timeout) => new ApplicationLive(context, app).Rollback(id, timeout);
    public Task<Outcome> ServerDryRun(TenantApplication app) => new ApplicationLive(context, app).ServerDryRun();
    public Task<Outcome> Synced(TenantApplication app) => new ApplicationLive(context, app).Synced();
}

public static class AppsServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Apps's checks and actions for the tasks.</summary>
        public AppsService Apps => new(context);
    }
}
