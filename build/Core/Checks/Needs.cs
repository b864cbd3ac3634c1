namespace Platform.Build.Core.Checks;

/// <summary>What a live check or an action needs from outside the repository.</summary>
[Flags]
public enum Needs
{
    Nothing = 0,

    /// <summary>AWS credentials (an AWS_PROFILE, access keys, a web identity token or ~/.aws files).</summary>
    AwsCredentials = 1,

    /// <summary>A cluster: <c>--kubeconfig=PATH</c> naming a readable file.</summary>
    Cluster = 2,

    /// <summary>Reachable hosts: the Terraform outputs file of the environment, written by Task 1.6.</summary>
    Hosts = 4,
}
