using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.Build.Core.Checks;

namespace Platform.Build.Core.Cache;

/// <summary>A cached pass: the rows and exhibits a check made, and the inputs it made them from.</summary>
public sealed record CacheEntry(
    string Task,
    string Item,
    string Run,
    DateTimeOffset At,
    string Key,
    SortedDictionary<string, string> Components,
    CheckStatus Status,
    string Detail,
    IReadOnlyList<Exhibit> Exhibits);

/// <summary>A lookup: the entry to replay, or why the check must run.</summary>
public sealed record CacheLookup(CacheEntry? Hit, string Reason);

/// <summary>
/// Results of offline and lint checks, keyed by a hash of everything they
/// read (<see cref="InputScan"/>), one file per check under artifacts/cache.
/// Only passes are kept: a failure always runs again. A file that does not
/// parse is a miss, never an error. Live checks never come here.
/// </summary>
public sealed class ResultCache(string folder, string run, Func<DateTimeOffset> clock)
{
    /// <summary>Bump when the entry format or the key's meaning changes: old entries then miss.</summary>
    public const int Format = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Folder { get; } = folder;

    /// <summary>This run's id, recorded in every entry it writes (reports show it beside cached rows).</summary>
    public string Run { get; } = run;

    public static string KeyOf(IReadOnlyDictionary<string, string> components) =>
        InputScan.Hash($"format {Format}\n" + string.Join('\n', components.Select(c => $"{c.Key}={c.Value}")));

    public CacheLookup Lookup(string task, string item, SortedDictionary<string, string> components, TimeSpan? maxAge, string? outside)
    {
        var path = PathOf(task, item);
        CacheEntry? entry;
        try
        {
            entry = File.Exists(path) ? JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return new CacheLookup(null, "the cached entry is unreadable");
        }

        if (entry is null || entry.Task != task || entry.Item != item)
        {
            return new CacheLookup(null, "nothing cached (no earlier pass)");
        }

        if (entry.Key != KeyOf(components))
        {
            return new CacheLookup(null, Changed(entry.Components, components));
        }

        if (maxAge is { } age && clock() - entry.At > age)
        {
            return new CacheLookup(null, $"the cached pass is older than {age.TotalHours:0} h ({outside ?? "it depends on something outside"})");
        }

        return new CacheLookup(entry, $"cached: run {entry.Run}, {entry.At:yyyy-MM-dd HH:mm:ss}Z");
    }

    /// <summary>Keeps a pass; any other outcome removes what was kept (the next run checks again).</summary>
    public void Record(string task, string item, SortedDictionary<string, string> components, Outcome outcome, IReadOnlyList<Exhibit> exhibits)
    {
        var path = PathOf(task, item);
        if (outcome.Status != CheckStatus.Passed)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return;
        }

        Directory.CreateDirectory(Folder);
        var entry = new CacheEntry(task, item, Run, clock(), KeyOf(components), components, outcome.Status, outcome.Detail, exhibits);

        // Written whole or not at all: a run killed mid-write leaves the old entry or none.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(entry, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>What differs between the cached inputs and these, the first few named.</summary>
    public static string Changed(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> now)
    {
        var changes = now.Where(c => before.TryGetValue(c.Key, out var old) && old != c.Value).Select(c => $"{c.Key} changed")
            .Concat(now.Keys.Where(k => !before.ContainsKey(k)).Select(k => $"{k} is new"))
            .Concat(before.Keys.Where(k => !now.ContainsKey(k)).Select(k => $"{k} is gone"))
            .ToList();
        if (changes.Count == 0)
        {
            return "the cache format changed";
        }

        var shown = string.Join(", ", changes.Take(3));
        return changes.Count > 3 ? $"{shown} and {changes.Count - 3} more" : shown;
    }

    private string PathOf(string task, string item) =>
        Path.Combine(Folder, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{task}\n{item}")))[..24].ToLowerInvariant() + ".json");
}
