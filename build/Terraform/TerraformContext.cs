using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>Terraform's run-wide sessions on the context (one of each per run).</summary>
public static class TerraformContext
{
    extension(BuildContext context)
    {
        /// <summary>This run's Terraform work (workspace copy, offline plans, module tests), shared by the Phase 1 tasks.</summary>
        public TerraformSession TerraformSession => context.Shared(c => new TerraformSession(c));

        /// <summary>Task 1.6's work against real AWS (one backend init per run).</summary>
        public LiveTerraform LiveTerraform => context.Shared(c => new LiveTerraform(c));
    }
}
