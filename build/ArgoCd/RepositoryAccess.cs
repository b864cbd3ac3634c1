using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tenancy;
using Platform.Build.Tools;

namespace Platform.Build.ArgoCd;

/// <summary>Where the Git credentials come from: never git, never a logged command line.</summary>
public sealed record GitCredentials(string Username, string Token, string Origin);

/// <summary>
/// Task 3.4: registers the platform repository with Argo CD as a declarative
/// repository Secret built at run time (argocd.argoproj.io/secret-type:
/// repository), from PLATFORM_GIT_TOKEN or a 0600 file named by
/// --git-token-file. The Secret goes to the API in a request body only.
/// </summary>
public sealed class RepositoryAccess(BuildContext context)
{
    public const string TokenVariable = "PLATFORM_GIT_TOKEN";
    public const string UsernameVariable = "PLATFORM_GIT_USERNAME";
    public const string SecretName = "repo-platform";
    public const string Template = "kubernetes/argocd/repositories/repository-secret.template.yaml";

    /// <summary>The credentials of this run, or null for a public repository; an <see cref="InvalidDataException"/> (one line) for a bad token file.</summary>
    public static GitCredentials? Read(Func<string, string?> environment, string? tokenFile)
    {
        var username = environment(UsernameVariable) is { Length: > 0 } u ? u : "git";
        if (tokenFile is not null)
        {
            if (!File.Exists(tokenFile))
            {
                throw new InvalidDataException($"--git-token-file={tokenFile}: no such file: write the token there (chmod 600)");
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(tokenFile) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new InvalidDataException($"--git-token-file={tokenFile}: readable by others: chmod 600 it (and rotate the token if others could read it)");
            }

            var token = File.ReadAllText(tokenFile).Trim();
            return token.Length == 0 ? throw new InvalidDataException($"--git-token-file={tokenFile}: the file is empty: write the token into it") : new GitCredentials(username, token, tokenFile);
        }

        return environment(TokenVariable) is { Length: > 0 } fromEnvironment ? new GitCredentials(username, fromEnvironment, TokenVariable) : null;
    }

    /// <summary>The repository Secret, as the server-side apply body (JSON).</summary>
    public static string SecretBody(string repoUrl, GitCredentials? credentials)
    {
        var data = new JsonObject { ["type"] = "git", ["url"] = repoUrl };
        if (credentials is not null)
        {
            data["username"] = credentials.Username;
            data["password"] = credentials.Token;
        }

        var secret = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = SecretName,
                ["namespace"] = ArgoCdLive.Namespace,
                ["labels"] = new JsonObject { ["argocd.argoproj.io/secret-type"] = "repository", ["app.kubernetes.io/managed-by"] = "platform-build" },
            },
            ["type"] = "Opaque",
            ["stringData"] = data,
        };
        return secret.ToJsonString();
    }

    public async Task<Outcome> Register()
    {
        var repo = TenantFiles.WithCatalog(context.Paths, c => Outcome.Pass(c.Platform.RepoUrl));
        if (repo.Status != CheckStatus.Passed)
        {
            return repo;
        }

        GitCredentials? credentials;
        try
        {
            credentials = Read(context.Environment.GetEnvironmentVariable, context.Options.GitTokenFile);
        }
        catch (InvalidDataException e)
        {
            return Outcome.Fail(e.Message);
        }

        var client = context.Cluster;
        var patch = new V1Patch(SecretBody(repo.Detail, credentials), V1Patch.PatchType.ApplyPatch);
        await client.CoreV1.PatchNamespacedSecretAsync(patch, SecretName, ArgoCdLive.Namespace, fieldManager: "platform-build", force: true).ConfigureAwait(false);
        return Outcome.Pass(credentials is null
            ? $"{repo.Detail} registered as a public repository (no {TokenVariable} or --git-token-file given)"
            : $"{repo.Detail} registered with credentials from {(credentials.Origin == TokenVariable ? TokenVariable : "--git-token-file")} (Secret {ArgoCdLive.Namespace}/{SecretName}; the token was sent in the request body only)");
    }

    /// <summary>"Repository shows Successful": Argo CD's own connection state for the repository (argocd repo get, core mode).</summary>
    public Task<Outcome> ConnectionState()
    {
        var repo = TenantFiles.WithCatalog(context.Paths, c => Outcome.Pass(c.Platform.RepoUrl));
        if (repo.Status != CheckStatus.Passed)
        {
            return Task.FromResult(repo);
        }

        ToolResult result;
        try
        {
            result = context.ArgoCdRepoGet(repo.Detail, new ArgoCdRepoGetSettings { Kubeconfig = context.Credentials.Kubeconfig });
        }
        catch (ToolNotFoundException e)
        {
            return Task.FromResult(Outcome.Skip($"needs the argocd CLI to read Argo CD's connection state: {e.Message}"));
        }

        if (!result.Succeeded)
        {
            return Task.FromResult(Outcome.Fail($"argocd repo get {repo.Detail}: {result.Tail(3)}"));
        }

        return Task.FromResult(ParseConnectionState(repo.Detail, result.Text));
    }

    public static Outcome ParseConnectionState(string repo, string json)
    {
        try
        {
            var state = JsonNode.Parse(json)?["connectionState"];
            var status = state?["status"]?.GetValue<string>();
            return status == "Successful"
                ? Outcome.Pass($"{repo}: connection Successful")
                : Outcome.Fail($"{repo}: connection {status ?? "unknown"}: {state?["message"]?.GetValue<string>() ?? "no message"}");
        }
        catch (JsonException e)
        {
            return Outcome.Fail($"argocd repo get printed no JSON: {e.Message}");
        }
    }

    /// <summary>"Credentials stored securely": no credential in the template or any tracked manifest; secrets only in ignored folders.</summary>
    public static Outcome StoredSecurely(PlatformPaths paths)
    {
        var template = paths.Combine(Template);
        if (!File.Exists(template))
        {
            return Outcome.NotImplemented($"{Template} does not exist");
        }

        var findings = new List<string>();
        var text = File.ReadAllText(template);
        foreach (var line in text.Split('\n').Select((l, i) => (Text: l.Trim(), Number: i + 1)))
        {
            if ((line.Text.StartsWith("password:", StringComparison.Ordinal) || line.Text.StartsWith("sshPrivateKey:", StringComparison.Ordinal))
                && !line.Text.Contains("${", StringComparison.Ordinal))
            {
                findings.Add($"{Template}:{line.Number}: a credential value in the template: leave the ${{...}} placeholder, the build fills it at run time");
            }
        }

        var ignore = paths.Combine(".gitignore");
        if (!File.Exists(ignore) || !File.ReadAllLines(ignore).Any(l => l.Trim() is ".secrets/" or "/.secrets/" or ".secrets"))
        {
            findings.Add(".gitignore does not ignore .secrets/, where the admin password and kubeconfig are saved");
        }

        // A repository Secret with a credential, anywhere in the Kubernetes tree, is a leak.
        foreach (var file in Directory.EnumerateFiles(paths.Combine("kubernetes"), "*.y*ml", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(file);
            if (content.Contains("secret-type: repository", StringComparison.Ordinal) && file != template
                && System.Text.RegularExpressions.Regex.IsMatch(content, @"^\s*(password|sshPrivateKey):\s*\S", System.Text.RegularExpressions.RegexOptions.Multiline))
            {
                findings.Add($"{paths.Relative(file)}: a repository Secret with a credential is in the repository: remove it and rotate the token");
            }
        }

        return Outcome.FromFindings(findings,
            $"no credential in git: the repository Secret is built at run time from {TokenVariable} or --git-token-file (0600) and sent in the API request body; {Template} documents its shape");
    }
}
