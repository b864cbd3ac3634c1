using Platform.Build.Core.Cache;

namespace Platform.Build.Ansible;

/// <summary>What the Phase 2 checks read of the repository (their cache keys; see Core/Cache).</summary>
public static class AnsibleInputs
{
    /// <summary>ansible/, and the Terraform outputs the inventory reads (the declared outputs, the outputs files).</summary>
    public static readonly CheckInputs All = new(["ansible/**", "terraform/environments/*/outputs.tf", "terraform/outputs/**", ".secrets/**"]);

    /// <summary>
    /// The converge installs packages from a Debian mirror, which has no
    /// version to hash: a pass is trusted for a day, and never without the
    /// network it was made with.
    /// </summary>
    public static readonly CheckInputs Converge = All with
    {
        Network = true,
        MaxAge = TimeSpan.FromHours(24),
        Outside = "it installs the Debian mirror's current packages",
    };
}
