using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Audit;

/// <summary>The Audit domain's checks for the tasks.</summary>
public sealed class AuditService(BuildContext context)
{
    public Outcome Run() => AuditChecks.Run(context);
}

public static class AuditServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>The Audit target's rule engine over every source.</summary>
        public AuditService Audit => new(context);
    }
}
