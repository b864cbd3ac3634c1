using Platform.Build.Core.Context;

namespace Platform.Build.Tenancy;

/// <summary>Which clusters this run's tenancy work covers.</summary>
public static class TenancyContext
{
    extension(BuildContext context)
    {
        /// <summary>
        /// The clusters this run's tenancy checks cover, one at a time: the one of
        /// --env when it was given, else every platform environment (as Validate
        /// plans dev and prod side by side). Live checks and actions use --env only.
        /// </summary>
        public IReadOnlyList<string> Clusters => context.Options.EnvironmentGiven ? [context.Options.EnvironmentName] : TenantLayout.Clusters;
    }
}
