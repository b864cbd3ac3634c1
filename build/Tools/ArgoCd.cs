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

/// <summary>The argocd CLI: app sync, wait and rollback.</summary>
public sealed class ArgoCdRunner(ICakeContext context) : PlatformTool<ArgoCdSettings>(context)
{
    protected override string Executable => "argocd";

    public ToolResult AppSync(ArgoCdAppSyncSettings settings, string application)
    {
        var args = App(settings, "sync", application);
        if (settings.Revision is not null)
        {
            args.AppendSwitchQuoted("--revision", "=", settings.Revision);
        }

        if (settings.Prune)
        {
            args.Append("--prune");
        }

        args.AppendSwitch("--timeout", "=", $"{(int)settings.Timeout.TotalSeconds}");
        return Execute(settings, args);
    }

    public ToolResult AppWait(ArgoCdAppWaitSettings settings, string application)
    {
        var args = App(settings, "wait", application);
        if (settings.Health)
        {
            args.Append("--health");
        }

        if (settings.Sync)
        {
            args.Append("--sync");
        }

        args.AppendSwitch("--timeout", "=", $"{(int)settings.Timeout.TotalSeconds}");
        return Execute(settings, args);
    }

    public ToolResult AppRollback(ArgoCdAppRollbackSettings settings, string application, int historyId)
    {
        var args = App(settings, "rollback", application);
        args.Append(historyId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        args.AppendSwitch("--timeout", "=", $"{(int)settings.Timeout.TotalSeconds}");
        return Execute(settings, args);
    }

    private static ProcessArgumentBuilder App(ArgoCdSettings settings, string verb, string application)
    {
        var args = new ProcessArgumentBuilder();
        args.Append("app");
        args.Append(verb);
        args.AppendQuoted(application);
        if (settings.Core)
        {
            args.Append("--core");
            if (settings.Kubeconfig is not null)
            {
                settings.EnvironmentVariables["KUBECONFIG"] = settings.Kubeconfig;
            }
        }
        else if (settings.Server is not null)
        {
            args.AppendSwitchQuoted("--server", "=", settings.Server);
        }

        if (settings.GrpcWeb)
        {
            args.Append("--grpc-web");
        }

        if (settings.AuthToken is not null)
        {
            // The token stays out of the command line (ps, logs): the CLI reads it from the environment.
            settings.EnvironmentVariables["ARGOCD_AUTH_TOKEN"] = settings.AuthToken;
        }

        return args;
    }
}

public static class ArgoCdAliases
{
    public static ToolResult ArgoCdAppSync(this ICakeContext context, string application, ArgoCdAppSyncSettings settings) => new ArgoCdRunner(context).AppSync(settings, application);

    public static ToolResult ArgoCdAppWait(this ICakeContext context, string application, ArgoCdAppWaitSettings settings) => new ArgoCdRunner(context).AppWait(settings, application);

    public static ToolResult ArgoCdAppRollback(this ICakeContext context, string application, int historyId, ArgoCdAppRollbackSettings settings) => new ArgoCdRunner(context).AppRollback(settings, application, historyId);
}
