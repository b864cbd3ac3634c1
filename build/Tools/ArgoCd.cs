using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public class ArgoCdSettings : PlatformToolSettings
{
    /// <summary>
    /// Core mode: the CLI talks to the cluster's API with the kubeconfig (no
    /// Argo CD server login, no token). Default, since the build has a kubeconfig.
    /// </summary>
    public bool Core { get; set; } = true;

    public string? Kubeconfig { get; set; }

    /// <summary>Server mode: the API server address (with <see cref="AuthToken"/>).</summary>
    public string? Server { get; set; }

    /// <summary>Sent as the ARGOCD_AUTH_TOKEN environment variable, never as an argument.</summary>
    public string? AuthToken { get; set; }

    public bool GrpcWeb { get; set; }
}

public sealed class ArgoCdAppSyncSettings : ArgoCdSettings
{
    public string? Revision { get; set; }
    public bool Prune { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class ArgoCdAppWaitSettings : ArgoCdSettings
{
    public bool Health { get; set; } = true;
    public bool Sync { get; set; } = true;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class ArgoCdAppRollbackSettings : ArgoCdSettings
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class ArgoCdRepoGetSettings : ArgoCdSettings;

/// <summary>The argocd CLI: app sync, wait and rollback; repo get.</summary>
public sealed class ArgoCdRunner(ICakeContext context) : PlatformTool<ArgoCdSettings>(context)
{
    protected override string Executable => "argocd";

    public ToolResult AppSync(ArgoCdAppSyncSettings settings, string application) => Execute(settings, App(settings, "sync", application)
        .Option("--revision", settings.Revision)
        .Flag(settings.Prune, "--prune")
        .Plain("--timeout", WholeSeconds(settings.Timeout)));

    public ToolResult AppWait(ArgoCdAppWaitSettings settings, string application) => Execute(settings, App(settings, "wait", application)
        .Flag(settings.Health, "--health")
        .Flag(settings.Sync, "--sync")
        .Plain("--timeout", WholeSeconds(settings.Timeout)));

    public ToolResult AppRollback(ArgoCdAppRollbackSettings settings, string application, int historyId) => Execute(settings, App(settings, "rollback", application)
        .Flag(true, historyId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Plain("--timeout", WholeSeconds(settings.Timeout)));

    /// <summary><c>argocd repo get URL -o json</c>: the repository as Argo CD sees it, with its connection state.</summary>
    public ToolResult RepoGet(ArgoCdRepoGetSettings settings, string repository) => Execute(settings, Command(settings, "repo", "get", repository)
        .Plain("--output", "json"));

    // argocd takes timeouts in whole seconds, without a unit (kubectl and helm want "300s").
    private static string WholeSeconds(TimeSpan timeout) => ((int)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ProcessArgumentBuilder App(ArgoCdSettings settings, string verb, string application) => Command(settings, "app", verb, application);

    private static ProcessArgumentBuilder Command(ArgoCdSettings settings, string noun, string verb, string subject)
    {
        if (settings.Core)
        {
            // Core mode talks to the cluster directly: only to the one the build was given.
            settings.EnvironmentVariables["KUBECONFIG"] = settings.Kubeconfig
                ?? throw new ArgumentException($"argocd {noun} {verb} in core mode needs ArgoCdSettings.Kubeconfig: the build never falls back to a default kubeconfig");
        }
        else if (settings.Server is null)
        {
            throw new ArgumentException($"argocd {noun} {verb} needs ArgoCdSettings.Server when Core is false");
        }

        if (settings.AuthToken is not null)
        {
            // The token stays out of the command line (ps, logs): the CLI reads it from the environment.
            settings.EnvironmentVariables["ARGOCD_AUTH_TOKEN"] = settings.AuthToken;
        }

        return ProcessArgumentBuilder.FromStrings([noun, verb])
            .Word(subject)
            .Flag(settings.Core, "--core")
            .Option("--server", settings.Core ? null : settings.Server)
            .Flag(settings.GrpcWeb, "--grpc-web");
    }
}

public static class ArgoCdAliases
{
    public static ToolResult ArgoCdAppSync(this ICakeContext context, string application, ArgoCdAppSyncSettings settings) => new ArgoCdRunner(context).AppSync(settings, application);

    public static ToolResult ArgoCdAppWait(this ICakeContext context, string application, ArgoCdAppWaitSettings settings) => new ArgoCdRunner(context).AppWait(settings, application);

    public static ToolResult ArgoCdRepoGet(this ICakeContext context, string repository, ArgoCdRepoGetSettings settings) => new ArgoCdRunner(context).RepoGet(settings, repository);

    public static ToolResult ArgoCdAppRollback(this ICakeContext context, string application, int historyId, ArgoCdAppRollbackSettings settings) => new ArgoCdRunner(context).AppRollback(settings, application, historyId);
}
