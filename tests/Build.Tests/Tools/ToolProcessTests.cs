using Cake.Core.Diagnostics;
using Xunit;
using Platform.Build.Tests.Support;
using Platform.Build.Tools;

namespace Platform.Build.Tests.Tools;

/// <summary>Wrappers run for real through Cake's ProcessRunner: what arrives, and what is logged.</summary>
public sealed class ToolProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("platform-tools-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Script(string name, string body)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_token_reaches_the_tool_and_never_the_log_even_at_diagnostic_verbosity()
    {
        const string token = "s3cr3t-token-value";
        Script("argocd", "echo \"args: $*\"; echo \"token length: ${#ARGOCD_AUTH_TOKEN}\"");
        var log = new RecordingLog(Verbosity.Diagnostic);
        var context = ToolContext.Create(null, log, _folder);

        var result = context.ArgoCdAppSync("sso-dev", new ArgoCdAppSyncSettings { Core = false, Server = "argocd:443", AuthToken = token });

        Assert.True(result.Succeeded, result.Tail());
        Assert.Contains($"token length: {token.Length}", result.Output);
        Assert.DoesNotContain(token, log.Text);
        Assert.DoesNotContain(token, string.Join('\n', result.Output));
        Assert.Contains("app sync", log.Text); // the command line itself is logged
    }

    [Fact]
    public void A_missing_tool_is_one_clear_error()
    {
        var context = ToolContext.Create(null, new RecordingLog(), _folder);

        var error = Assert.Throws<ToolNotFoundException>(() => context.KubectlKustomize("x"));

        Assert.Equal("kubectl not found on PATH: install it (./build.sh --target=Doctor --install-tools lists how)", error.Message);
    }

    [Fact]
    public void Exit_codes_and_both_streams_are_captured()
    {
        Script("terraform", "echo out-line; echo err-line >&2; exit 3");
        var context = ToolContext.Create(null, new RecordingLog(), _folder);

        var result = context.TerraformFmt(new TerraformFmtSettings());

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(["out-line"], result.Output);
        Assert.Equal(["err-line"], result.Error);
    }
}
