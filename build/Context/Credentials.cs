using Cake.Core;
using Platform.Build.Checks;

namespace Platform.Build.Context;

/// <summary>
/// Which outside systems this run can reach. Only presence is detected here;
/// secrets are never read into the build's memory or logs.
/// </summary>
public sealed record Credentials(bool Aws, string? Kubeconfig, bool HostsKnown)
{
    public static Credentials Detect(ICakeEnvironment environment, BuildOptions options, PlatformPaths paths)
    {
        bool Set(string name) => !string.IsNullOrEmpty(environment.GetEnvironmentVariable(name));
        var home = environment.GetEnvironmentVariable("HOME") ?? string.Empty;
        var aws = (Set("AWS_ACCESS_KEY_ID") && Set("AWS_SECRET_ACCESS_KEY"))
            || Set("AWS_PROFILE")
            || Set("AWS_WEB_IDENTITY_TOKEN_FILE")
            || Set("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            || Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            || (home.Length > 0 && (File.Exists(System.IO.Path.Combine(home, ".aws/credentials")) || File.Exists(System.IO.Path.Combine(home, ".aws/config"))));
        return new Credentials(aws, options.Kubeconfig, File.Exists(paths.TerraformOutputs));
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
