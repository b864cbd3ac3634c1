namespace Platform.Build.Core.Cache;

/// <summary>
/// What an offline or lint check's result depends on, beyond what every key
/// holds anyway (the build's own code, the spec, the tools, the environment
/// variables and options the build reads, the run mode). The default is the
/// whole repository: a check that declares nothing reruns on any change, which
/// costs time, never a wrong result. Narrower globs are a promise the check
/// reads nothing else of the repository.
/// </summary>
public sealed record CheckInputs(IReadOnlyList<string> Files)
{
    public static readonly CheckInputs Repository = new(["**"]);

    /// <summary>Never replayed: the result depends on this run (derived items, manual items).</summary>
    public static CheckInputs Never(string why) => new([]) { NotCached = why };

    /// <summary>Never replayed, and the check writes repository files: the checks after it hash the files again.</summary>
    public static CheckInputs Writing(string what) => Never($"it writes {what}") with { Writes = true };

    /// <summary>The check writes repository files (see <see cref="Writing"/>).</summary>
    public bool Writes { get; init; }

    /// <summary>Why the result is never cached, or null.</summary>
    public string? NotCached { get; init; }

    /// <summary>The result depends on reaching the network: whether it is reachable is part of the key.</summary>
    public bool Network { get; init; }

    /// <summary>The result depends on today's date (an expiry): the UTC date is part of the key, so a pass is never replayed on a later day.</summary>
    public bool Dated { get; init; }

    /// <summary>
    /// The result also depends on something outside that has no version to
    /// hash (a package mirror): a cached pass is trusted this long, then rerun.
    /// </summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>What <see cref="MaxAge"/> stands for, said in the miss reason.</summary>
    public string? Outside { get; init; }

    /// <summary>These globs as well (a check that reads a file of another domain).</summary>
    public CheckInputs And(params string[] files) => this with { Files = [.. Files, .. files] };
}
