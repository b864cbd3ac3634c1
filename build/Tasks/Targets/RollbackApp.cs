using System.Globalization;
using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// The seed's Argo CD rollback (<c>argocd app rollback APP ID</c>) for --env's
/// Application: to an entry of its history, chosen by --revision (the history id
/// that argocd app history and a failed DeployApp print). Prod needs --confirm=prod.
/// </summary>
[TaskDescription("RollbackApp: rolls --env's Application back to history entry --revision=N (argocd app rollback); automated sync stays off until the next DeployApp")]
public sealed class RollbackApp : PlatformTask
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public override PlatformAction Action => new(
        "roll the Application of --env back to history entry --revision",
        Needs.Cluster,
        Rollback)
    {
        Refuse = context => HistoryId(context) is null
            ? $"RollbackApp needs --revision=N, a history id of {TenantApplication.Sso.ApplicationName(context.Options.EnvironmentName)} (argocd app history, or the id a failed DeployApp printed); got '{context.Options.Revision}'"
            : null,
    };

    private static long? HistoryId(BuildContext context) =>
        context.Options.Revision is { } revision && long.TryParse(revision, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static async Task<Outcome> Rollback(BuildContext context) =>
        await context.Apps.Rollback(TenantApplication.Sso, HistoryId(context)!.Value, Timeout).ConfigureAwait(false);
}
