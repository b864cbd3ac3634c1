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
    /// <summary><c>git rev-parse --verify REV^{commit}</c> in the repository: the full commit id, or null when REV names none.</summary>
    public static string? GitCommitOf(this ICakeContext context, string repository, string revision)
    {
        var result = new CommandTool(context, "git").Run(new PlatformToolSettings { WorkingDirectory = repository }, "rev-parse", "--verify", "--quiet", $"{revision}^{{commit}}");
        return result.Succeeded && result.Output.Count > 0 ? result.Output[0].Trim() : null;
    }

    /// <summary><c>git archive COMMIT PATH | tar -x</c> into a folder: a commit's tree without touching the working tree.</summary>
    public static void GitExtract(this ICakeContext context, string repository, string commit, string path, string destination)
    {
        var archive = System.IO.Path.Combine(destination, $".{commit[..12]}.tar");
        Directory.CreateDirectory(destination);
        new CommandTool(context, "git").Run(new PlatformToolSettings { WorkingDirectory = repository }, "archive", $"--output={archive}", commit, path).EnsureSuccess();
        new CommandTool(context, "tar").Run(new PlatformToolSettings { WorkingDirectory = destination }, "-xf", archive).EnsureSuccess();
        File.Delete(archive);
    }

    public static ToolResult GitLsRemote(this ICakeContext context, string repository, params string[] references) =>
        new GitRunner(context).LsRemote(new GitLsRemoteSettings(), repository, references);
}
