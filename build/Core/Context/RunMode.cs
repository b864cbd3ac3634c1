using System.Reflection;
using Platform.Build.Core.Graph;

namespace Platform.Build.Core.Context;

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

/// <summary>Marks a target that never changes anything: asking only for such targets runs in this mode.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class OfflineTargetAttribute(RunMode mode) : Attribute
{
    public RunMode Mode { get; } = mode;
}

public static class RunModes
{
    /// <summary>The strongest mode any target asks for; a target without [OfflineTarget] is live.</summary>
    public static RunMode For(IEnumerable<string> targets, TaskCatalog catalog) =>
        targets
            .Select(t => catalog.Find(t)?.Type.GetCustomAttribute<OfflineTargetAttribute>()?.Mode ?? RunMode.Live)
            .DefaultIfEmpty(RunMode.Live)
            .Max();
}
