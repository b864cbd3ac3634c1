namespace Platform.Build.Kubernetes.Network;

/// <summary>
/// A set of ports per protocol (TCP, UDP, SCTP), as closed ranges: what one
/// endpoint may open on another. Immutable; union and intersection are exact.
/// </summary>
public sealed class PortSet : IEquatable<PortSet>
{
    public const int MaxPort = 65535;

    public static readonly IReadOnlyList<string> Protocols = ["TCP", "UDP", "SCTP"];

    private readonly Dictionary<string, List<(int From, int To)>> _ranges;

    private PortSet(Dictionary<string, List<(int, int)>> ranges) => _ranges = ranges;

    public static PortSet None { get; } = new([]);

    public static PortSet All { get; } = new(Protocols.ToDictionary(p => p, _ => new List<(int, int)> { (1, MaxPort) }));

    public static PortSet AllOf(string protocol) => Range(protocol, 1, MaxPort);

    public static PortSet Range(string protocol, int from, int to) =>
        from > to ? None : new(new Dictionary<string, List<(int, int)>> { [Protocol(protocol)] = [(Math.Max(1, from), Math.Min(MaxPort, to))] });

    public static PortSet Single(string protocol, int port) => Range(protocol, port, port);

    public bool IsEmpty => _ranges.Count == 0;

    public bool IsAll => Equals(All);

    public bool Contains(string protocol, int port) =>
        _ranges.TryGetValue(Protocol(protocol), out var list) && list.Any(r => r.From <= port && port <= r.To);

    public PortSet Union(PortSet other)
    {
        // Shortcuts for the common cases: the isolation matrix asks this for every pair.
        if (other.IsEmpty || ReferenceEquals(this, All) || ReferenceEquals(this, other))
        {
            return this;
        }

        if (IsEmpty || ReferenceEquals(other, All))
        {
            return other;
        }

        var result = Copy();
        foreach (var (protocol, ranges) in other._ranges)
        {
            result[protocol] = Normalize(result.TryGetValue(protocol, out var mine) ? [.. mine, .. ranges] : ranges);
        }

        return new PortSet(result);
    }

    public PortSet Intersect(PortSet other)
    {
        if (IsEmpty || other.IsEmpty)
        {
            return None;
        }

        if (ReferenceEquals(this, All) || ReferenceEquals(this, other))
        {
            return other;
        }

        if (ReferenceEquals(other, All))
        {
            return this;
        }

        var result = new Dictionary<string, List<(int, int)>>();
        foreach (var (protocol, ranges) in _ranges)
        {
            if (!other._ranges.TryGetValue(protocol, out var theirs))
            {
                continue;
            }

            var overlap = ranges.SelectMany(a => theirs.Select(b => (Math.Max(a.From, b.From), Math.Min(a.To, b.To))))
                .Where(r => r.Item1 <= r.Item2).ToList();
            if (overlap.Count > 0)
            {
                result[protocol] = Normalize(overlap);
            }
        }

        return result.Count == 0 ? None : new PortSet(result);
    }

    /// <summary>True when every port here is also in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(PortSet other) => IsEmpty || ReferenceEquals(other, All) || ReferenceEquals(this, other) || Intersect(other).Equals(this);

    /// <summary>The ports here that are not in <paramref name="other"/>.</summary>
    public PortSet Except(PortSet other)
    {
        var result = new Dictionary<string, List<(int, int)>>();
        foreach (var (protocol, ranges) in _ranges)
        {
            var left = ranges.ToList();
            foreach (var (from, to) in other._ranges.GetValueOrDefault(protocol) ?? [])
            {
                left = [.. left.SelectMany(r => Cut(r, from, to))];
            }

            if (left.Count > 0)
            {
                result[protocol] = Normalize(left);
            }
        }

        return result.Count == 0 ? None : new PortSet(result);
    }

    /// <summary>"all", "none", or e.g. "TCP 53, UDP 53" / "TCP 8080-8090".</summary>
    public override string ToString()
    {
        if (IsEmpty)
        {
            return "none";
        }

        if (IsAll)
        {
            return "all";
        }

        return string.Join(", ", Protocols.Where(_ranges.ContainsKey).SelectMany(p =>
            _ranges[p].Count == 1 && _ranges[p][0] == (1, MaxPort)
                ? [$"{p} all"]
                : _ranges[p].Select(r => r.From == r.To ? $"{p} {r.From}" : $"{p} {r.From}-{r.To}")));
    }

    public bool Equals(PortSet? other) =>
        other is not null && _ranges.Count == other._ranges.Count
        && _ranges.All(kv => other._ranges.TryGetValue(kv.Key, out var theirs) && kv.Value.SequenceEqual(theirs));

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    private static string Protocol(string protocol) =>
        Protocols.FirstOrDefault(p => p.Equals(protocol, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"protocol '{protocol}' is not TCP, UDP or SCTP");

    private Dictionary<string, List<(int, int)>> Copy() => _ranges.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());

    /// <summary>Sorted, merged (adjacent ranges joined) so equal sets compare equal.</summary>
    private static List<(int, int)> Normalize(IEnumerable<(int From, int To)> ranges)
    {
        var merged = new List<(int From, int To)>();
        foreach (var r in ranges.OrderBy(r => r.From))
        {
            if (merged.Count > 0 && r.From <= merged[^1].To + 1)
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, r.To));
            }
            else
            {
                merged.Add(r);
            }
        }

        return merged.Select(r => (r.From, r.To)).ToList();
    }

    private static IEnumerable<(int, int)> Cut((int From, int To) range, int from, int to)
    {
        if (to < range.From || from > range.To)
        {
            yield return range;
            yield break;
        }

        if (range.From < from)
        {
            yield return (range.From, from - 1);
        }

        if (to < range.To)
        {
            yield return (to + 1, range.To);
        }
    }
}
