using Platform.Build.Core.Cache;

namespace Platform.Build.Terraform;

/// <summary>What the Phase 1 checks read of the repository (their cache keys; see Core/Cache).</summary>
public static class TerraformInputs
{
    /// <summary>Everything under terraform/: the plans and policies read every module through the environments.</summary>
    public static readonly CheckInputs All = new(["terraform/**"]);

    /// <summary>A check of one module alone (fmt, validate, test, its README and interface): that module's folder.</summary>
    public static CheckInputs Module(string module) => new([$"terraform/modules/{module}/**"]);

    /// <summary>The pipeline the plan flow runs in.</summary>
    public static readonly CheckInputs Pipeline = new([".github/**", "terraform/**"]);
}
