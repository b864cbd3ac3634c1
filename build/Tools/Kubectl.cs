using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public class KubectlSettings : PlatformToolSettings
{
    /// <summary>
    /// Passed as <c>--kubeconfig</c> (and KUBECONFIG) and required by every verb
    /// that talks to a cluster: the build acts only on the cluster it is given,
    /// never on a default ~/.kube/config.
    /// </summary>
    public string? Kubeconfig { get; set; }

    public string? Namespace { get; set; }
}

public sealed class KubectlApplySettings : KubectlSettings
{
    /// <summary>A kustomization directory (<c>-k</c>); or set <see cref="Files"/>.</summary>
    public string? Kustomize { get; set; }

    public List<string> Files { get; } = [];
    public bool ServerSide { get; set; } = true;
    public string FieldManager { get; set; } = "platform-build";

    /// <summary>none, client or server.</summary>
    public string DryRun { get; set; } = "none";
}

public sealed class KubectlWaitSettings : KubectlSettings
{
    public required string Resource { get; set; }
    public required string For { get; set; }
    public bool All { get; set; }
    public string? Selector { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class KubectlGetSettings : KubectlSettings
{
    public required string Resource { get; set; }
    public string? Name { get; set; }
    public string Output { get; set; } = "json";
    public bool AllNamespaces { get; set; }
}

public sealed class KubectlRolloutStatusSettings : KubectlSettings
{
    public required string Resource { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary><c>kubectl get --raw PATH</c> / <c>kubectl create --raw PATH -f FILE</c>: an API path, e.g. a service proxy.</summary>
public sealed class KubectlRawSettings : KubectlSettings
{
    public required string Path { get; set; }

    /// <summary>For create: the request body, from a file so nothing of it is on the command line.</summary>
    public string? BodyFile { get; set; }
}

/// <summary>kubectl, with the verbs Cake.Kubectl names (Kubectl&lt;Verb&gt;), plus Kustomize.</summary>
public sealed class KubectlRunner(ICakeContext context) : PlatformTool<KubectlSettings>(context)
{
    protected override string Executable => "kubectl";

    /// <summary>Renders a kustomization offline (no cluster needed).</summary>
    public ToolResult Kustomize(KubectlSettings settings, string directory) => Execute(settings, Common(settings, "kustomize", needsCluster: false).Word(directory));

    public ToolResult Apply(KubectlApplySettings settings)
    {
        if (settings.Kustomize is null && settings.Files.Count == 0)
        {
            throw new ArgumentException("KubectlApply needs Kustomize or Files");
        }

        var args = Common(settings, "apply")
            .Flag(settings.ServerSide, "--server-side")
            .Option("--field-manager", settings.ServerSide ? settings.FieldManager : null);
        if (settings.DryRun != "none")
        {
            args.Plain("--dry-run", settings.DryRun);
        }

        if (settings.Kustomize is not null)
        {
            args.Append("-k");
            args.AppendQuoted(settings.Kustomize);
        }

        foreach (var file in settings.Files)
        {
            args.Append("-f");
            args.AppendQuoted(file);
        }

        return Execute(settings, args);
    }

    public ToolResult Wait(KubectlWaitSettings settings)
    {
        var args = Common(settings, "wait").Option("--for", settings.For);
        args.Append(settings.Resource);
        return Execute(settings, args
            .Flag(settings.All, "--all")
            .Option("--selector", settings.Selector)
            .Plain("--timeout", ArgumentExtensions.Seconds(settings.Timeout)));
    }

    public ToolResult Get(KubectlGetSettings settings)
    {
        var args = Common(settings, "get");
        args.Append(settings.Resource);
        return Execute(settings, args
            .Word(settings.Name)
            .Flag(settings.AllNamespaces, "--all-namespaces")
            .Plain("--output", settings.Output));
    }

    public ToolResult GetRaw(KubectlRawSettings settings) => Execute(settings, Common(settings, "get").Plain("--raw", settings.Path));

    public ToolResult CreateRaw(KubectlRawSettings settings)
    {
        var args = Common(settings, "create").Plain("--raw", settings.Path);
        args.Append("-f");
        args.AppendQuoted(settings.BodyFile ?? throw new ArgumentException("KubectlCreateRaw needs BodyFile"));
        return Execute(settings, args);
    }

    public ToolResult RolloutStatus(KubectlRolloutStatusSettings settings)
    {
        var args = Common(settings, "rollout");
        args.Append("status");
        args.Append(settings.Resource);
        return Execute(settings, args.Plain("--timeout", ArgumentExtensions.Seconds(settings.Timeout)));
    }

    private static ProcessArgumentBuilder Common(KubectlSettings settings, string verb, bool needsCluster = true)
    {
        if (needsCluster)
        {
            settings.EnvironmentVariables["KUBECONFIG"] = settings.Kubeconfig
                ?? throw new ArgumentException($"kubectl {verb} needs KubectlSettings.Kubeconfig: the build never falls back to a default kubeconfig");
        }

        var args = new ProcessArgumentBuilder()
            .Option("--kubeconfig", settings.Kubeconfig)
            .Option("--namespace", settings.Namespace);
        args.Append(verb);
        return args;
    }
}

public static class KubectlAliases
{
    public static ToolResult KubectlKustomize(this ICakeContext context, string directory, KubectlSettings? settings = null) => new KubectlRunner(context).Kustomize(settings ?? new KubectlSettings(), directory);

    public static ToolResult KubectlApply(this ICakeContext context, KubectlApplySettings settings) => new KubectlRunner(context).Apply(settings);

    public static ToolResult KubectlWait(this ICakeContext context, KubectlWaitSettings settings) => new KubectlRunner(context).Wait(settings);

    public static ToolResult KubectlGet(this ICakeContext context, KubectlGetSettings settings) => new KubectlRunner(context).Get(settings);

    public static ToolResult KubectlGetRaw(this ICakeContext context, KubectlRawSettings settings) => new KubectlRunner(context).GetRaw(settings);

    public static ToolResult KubectlCreateRaw(this ICakeContext context, KubectlRawSettings settings) => new KubectlRunner(context).CreateRaw(settings);

    public static ToolResult KubectlRolloutStatus(this ICakeContext context, KubectlRolloutStatusSettings settings) => new KubectlRunner(context).RolloutStatus(settings);
}
