using Cake.Core;
using Platform.Build.Core.Checks;

namespace Platform.Build.Core.Context;

/// <summary>
/// Which outside systems this run can reach. Only presence is detected here;
/// secrets are never read into the build's memory or logs.
/// </summary>
public sealed record Credentials(bool Aws, string? Kubeconfig, bool HostsKnown)
{
    public static Credentials Detect(ICakeEnvironment environment, BuildOptions options, PlatformPaths paths)
    {
        string? Get(string name) => environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var home = Get("HOME") ?? string.Empty;
        var credentialsFile = Get("AWS_SHARED_CREDENTIALS_FILE") ?? System.IO.Path.Combine(home, ".aws/credentials");
        var configFile = Get("AWS_CONFIG_FILE") ?? System.IO.Path.Combine(home, ".aws/config");
        var aws = (Get("AWS_ACCESS_KEY_ID") is not null && Get("AWS_SECRET_ACCESS_KEY") is not null)
            || Get("AWS_PROFILE") is not null
            || Get("AWS_WEB_IDENTITY_TOKEN_FILE") is not null
            || Get("AWS_CONTAINER_CREDENTIALS_FULL_URI") is not null
            || Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is not null
            || (home.Length > 0 || Get("AWS_SHARED_CREDENTIALS_FILE") is not null) && File.Exists(credentialsFile)
            || ConfigHasCredentials(configFile);
        // --kubeconfig, or the one Task 2.8 saved for this environment: never ~/.kube/config or $KUBECONFIG.
        var saved = System.IO.Path.Combine(paths.Secrets, "kubeconfig");
        return new Credentials(aws, options.Kubeconfig ?? (File.Exists(saved) ? saved : null), File.Exists(paths.TerraformOutputs));
    }

    /// <summary>An AWS config file counts only when it can produce credentials (a region alone cannot).</summary>
    private static bool ConfigHasCredentials(string path)
    {
        try
        {
            return File.Exists(path) && File.ReadLines(path).Select(l => l.Trim()).Any(l =>
                l.StartsWith("aws_access_key_id", StringComparison.Ordinal) || l.StartsWith("credential_process", StringComparison.Ordinal)
                || l.StartsWith("role_arn", StringComparison.Ordinal) || l.StartsWith("sso_", StringComparison.Ordinal)
                || l.StartsWith("web_identity_token_file", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Why something needing <paramref name="needs"/> cannot run, or null when it can.</summary>
    public string? Missing(Needs needs, PlatformPaths paths)
    {
        var reasons = new List<string>();
        if (needs.HasFlag(Needs.AwsCredentials) && !Aws)
        {
            reasons.Add("needs AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }

        if (needs.HasFlag(Needs.Cluster) && Kubeconfig is null)
        {
            reasons.Add("needs a cluster: pass --kubeconfig=PATH");
        }

        if (needs.HasFlag(Needs.Hosts) && !HostsKnown)
        {
            reasons.Add($"needs the hosts of {paths.Environment}: {paths.Relative(paths.TerraformOutputs)} is written by Task 1.6 (ApplyInfrastructure)");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }
}
