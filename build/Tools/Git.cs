using Cake.Core;
using Cake.Core.IO;

namespace Platform.Build.Tools;

public sealed class GitLsRemoteSettings : PlatformToolSettings;

/// <summary>git, for what the build asks of remotes (Cake.Git's alias names).</summary>
public sealed class GitRunner(ICakeContext context) : PlatformTool<GitLsRemoteSettings>(context)
{
    protected override string Executable => "git";

    /// <summary><c>git ls-remote REPO REF...</c>: the commits a remote's branches or tags name now. Never prompts (no terminal in CI).</summary>
    public ToolResult LsRemote(GitLsRemoteSettings settings, string repository, IEnumerable<string> references)
    {
        settings.EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
        settings.ToolTimeout ??= TimeSpan.FromSeconds(60);
        var args = references.Aggregate(new ProcessArgumentBuilder().Append("ls-remote").Word(repository), (a, r) => a.Word(r));
        return Execute(settings, args);
    }
}

public static class GitAliases
{
    public static ToolResult GitLsRemote(this ICakeContext context, string repository, params string[] references) =>
        new GitRunner(context).LsRemote(new GitLsRemoteSettings(), repository, references);
}
