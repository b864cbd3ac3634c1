using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public sealed class GitLsRemoteSettings : PlatformToolSettings
{
    /// <summary>More refs to ask for in the same call.</summary>
    public List<string> ExtraReferences { get; init; } = [];
}

/// <summary>git, for what the build asks of remotes (Cake.Git's alias names).</summary>
public sealed class GitRunner(ICakeContext context) : PlatformTool<GitLsRemoteSettings>(context)
{
    protected override string Executable => "git";

    /// <summary><c>git ls-remote REPO REF</c>: the commit a remote's branch or tag names now. Never prompts (no terminal in CI).</summary>
    public ToolResult LsRemote(GitLsRemoteSettings settings, string repository, string reference)
    {
        settings.EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
        settings.ToolTimeout ??= TimeSpan.FromSeconds(60);
        var args = new ProcessArgumentBuilder().Append("ls-remote").Word(repository).Word(reference);
        foreach (var extra in settings.ExtraReferences)
        {
            args.Word(extra);
        }

        return Execute(settings, args);
    }
}

public static class GitAliases
{
    public static ToolResult GitLsRemote(this ICakeContext context, string repository, string reference, GitLsRemoteSettings? settings = null) =>
        new GitRunner(context).LsRemote(settings ?? new GitLsRemoteSettings(), repository, reference);
}
