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

    public ToolResult Build(DockerBuildSettings settings, string path) => Execute(settings, ProcessArgumentBuilder.FromStrings(["build"])
        .Options("--tag", settings.Tags)
        .Option("--file", settings.File)
        .Pairs("--build-arg", settings.BuildArgs)
        .Options("--secret", settings.SecretsFromEnvironment.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"id={s.Key},env={s.Value}"))
        .Flag(settings.Pull, "--pull")
        .Word(path));

    public ToolResult Push(DockerPushSettings settings, string image) => Execute(settings, ProcessArgumentBuilder.FromStrings(["push"]).Word(image));
}

public static class DockerAliases
{
    public static ToolResult DockerBuild(this ICakeContext context, DockerBuildSettings settings, string path) => new DockerRunner(context).Build(settings, path);

    public static ToolResult DockerPush(this ICakeContext context, DockerPushSettings settings, string image) => new DockerRunner(context).Push(settings, image);
}
