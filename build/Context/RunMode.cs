namespace Platform.Build.Context;

/// <summary>
/// What a run may do, decided by the targets asked for. Lint and Validate
/// never change anything anywhere, whatever credentials are present.
/// </summary>
public enum RunMode
{
    /// <summary>Formatting and linting only (the Lint target).</summary>
    Lint,

    /// <summary>Every offline check; no live check, no action (Validate, Default, Graph, Doctor).</summary>
    Validate,

    /// <summary>A task, checkpoint or DeployApp: actions and live checks run when what they need is present.</summary>
    Live,
}

public static class RunModes
{
    private static readonly HashSet<string> LintTargets = new(StringComparer.OrdinalIgnoreCase) { "Lint" };

    private static readonly HashSet<string> OfflineTargets = new(StringComparer.OrdinalIgnoreCase)
    {
        "Lint", "Validate", "Default", "Graph", "Doctor",
    };

    /// <summary>The strongest mode any target asks for.</summary>
    public static RunMode For(IEnumerable<string> targets)
    {
        var list = targets.ToList();
        return list.All(LintTargets.Contains) ? RunMode.Lint
            : list.All(OfflineTargets.Contains) ? RunMode.Validate
            : RunMode.Live;
    }
}
