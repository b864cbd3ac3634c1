using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public class DockerSettings : PlatformToolSettings;

public sealed class DockerBuildSettings : DockerSettings
{
    public List<string> Tags { get; } = [];
    public string? File { get; set; }
    public Dictionary<string, string> BuildArgs { get; } = [];

    /// <summary>Build secrets as <c>id=NAME,env=VARIABLE</c>: the value stays in the environment, never in the command line or image.</summary>
    public Dictionary<string, string> SecretsFromEnvironment { get; } = [];

    public bool Pull { get; set; } = true;
}

public sealed class DockerPushSettings : DockerSettings;

/// <summary>docker build and push, as Cake.Docker names them (DockerBuild(settings, path)).</summary>
public sealed class DockerRunner(ICakeContext context) : PlatformTool<DockerSettings>(context)
{
    protected override string Executable => "docker";

    public ToolResult Build(DockerBuildSettings settings, string path)
    {
        var args = new ProcessArgumentBuilder();
        args.Append("build");
        foreach (var tag in settings.Tags)
        {
            args.AppendSwitchQuoted("--tag", "=", tag);
        }

        if (settings.File is not null)
        {
            args.AppendSwitchQuoted("--file", "=", settings.File);
        }

        foreach (var (key, value) in settings.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            args.AppendSwitchQuoted("--build-arg", "=", $"{key}={value}");
        }

        foreach (var (id, variable) in settings.SecretsFromEnvironment.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            args.AppendSwitchQuoted("--secret", "=", $"id={id},env={variable}");
        }

        if (settings.Pull)
        {
            args.Append("--pull");
        }

        args.AppendQuoted(path);
        return Execute(settings, args);
    }

    public ToolResult Push(DockerPushSettings settings, string image)
    {
        var args = new ProcessArgumentBuilder();
        args.Append("push");
        args.AppendQuoted(image);
        return Execute(settings, args);
    }
}

public static class DockerAliases
{
    public static ToolResult DockerBuild(this ICakeContext context, DockerBuildSettings settings, string path) => new DockerRunner(context).Build(settings, path);

    public static ToolResult DockerPush(this ICakeContext context, DockerPushSettings settings, string image) => new DockerRunner(context).Push(settings, image);
}
