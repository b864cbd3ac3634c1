namespace Platform.Build.Core.Graph;

/// <summary>"Did you mean" for an unknown target: the closest task names by edit distance.</summary>
public static class TargetSuggestions
{
    /// <summary>One line for all unknown targets: "the targets 'A', 'B' were not found: ..." with the closest names of each.</summary>
    public static string NotFound(IReadOnlyList<string> targets, IEnumerable<string> names)
    {
        if (targets.Count == 1)
        {
            return NotFound(targets[0], names);
        }

        var known = names.ToList();
        var hints = targets.Select(t => (Target: t, Closest: Closest(t, known, 3))).Where(h => h.Closest.Count > 0)
            .Select(h => $"for '{h.Target}' did you mean {string.Join(", ", h.Closest.Select(n => $"'{n}'"))}?");
        var hint = string.Join("; ", hints);
        return $"the targets {string.Join(", ", targets.Select(t => $"'{t}'"))} were not found: {(hint.Length > 0 ? hint : "run --description to list the targets")}";
    }

    public static string NotFound(string target, IEnumerable<string> names)
    {
        var closest = Closest(target, names, 3);
        return closest.Count == 0
            ? $"the target '{target}' was not found: run --description to list the targets"
            : $"the target '{target}' was not found: did you mean {string.Join(", ", closest.Select(n => $"'{n}'"))}?";
    }

    public static IReadOnlyList<string> Closest(string word, IEnumerable<string> candidates, int count)
    {
        var lower = word.ToLowerInvariant();
        return [.. candidates
            .Select(c => (Name: c, Distance: Distance(lower, c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(3, word.Length / 2)
                || c.Name.Contains(word, StringComparison.OrdinalIgnoreCase)
                || word.StartsWith(c.Name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)];
    }

    /// <summary>Levenshtein distance (insert, delete, substitute each cost 1).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
