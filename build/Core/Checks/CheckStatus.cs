namespace Platform.Build.Core.Checks;

/// <summary>
/// The honest statuses of a checklist item. Nothing is Passed that was not
/// checked: an item that could not run is Skipped (with the reason), a
/// human-only item is Manual (listed, never counted as passed).
/// </summary>
public enum CheckStatus
{
    Passed,
    Failed,
    Skipped,
    Manual,
}

/// <summary>Where a check may run.</summary>
public enum CheckScope
{
    /// <summary>Formatting and linting: runs in every mode, including Lint.</summary>
    Lint,

    /// <summary>Needs no credentials and no cluster: runs in Validate and in live runs.</summary>
    Offline,

    /// <summary>Reads real AWS or a real cluster: runs only in live runs, when what it needs is present.</summary>
    Live,

    /// <summary>Only a person can tell; reported Manual with how to check it.</summary>
    Manual,
}

/// <summary>A row of the report: one checklist item, or one task action.</summary>
public enum ResultKind
{
    Check,
    Action,
}
