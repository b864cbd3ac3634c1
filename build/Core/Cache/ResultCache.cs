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
/// read (<see cref="InputScan"/>), one folder per check under artifacts/cache, one file per input set.
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
        var key = KeyOf(components);
        var folder = FolderOf(task, item);
        var exact = Path.Combine(folder, $"{key}.json");
        if (!File.Exists(exact))
        {
            // No pass on these inputs: the newest entry tells what changed since.
            var newest = Directory.Exists(folder)
                ? new DirectoryInfo(folder).EnumerateFiles("*.json").OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
                : null;
            return new CacheLookup(null, newest is null ? "nothing cached (no earlier pass)"
                : Read(newest.FullName, task, item) is { } before ? Changed(before.Components, components) : "the cached entry is unreadable");
        }

        var entry = Read(exact, task, item);
        if (entry is null || entry.Key != key)
        {
            return new CacheLookup(null, "the cached entry is unreadable");
        }

        if (maxAge is { } age && clock() - entry.At > age)
        {
            return new CacheLookup(null, $"the cached pass is older than {age.TotalHours:0} h ({outside ?? "it depends on something outside"})");
        }

        return new CacheLookup(entry, $"cached: run {entry.Run}, {entry.At:yyyy-MM-dd HH:mm:ss}Z");
    }

    /// <summary>
    /// Keeps a pass under its key (several input sets of a check live side by
    /// side: a run with other options does not evict this one's); any other
    /// outcome removes the entry of these inputs. The newest few are kept.
    /// </summary>
    public void Record(string task, string item, SortedDictionary<string, string> components, Outcome outcome, IReadOnlyList<Exhibit> exhibits)
    {
        var key = KeyOf(components);
        var folder = FolderOf(task, item);
        var path = Path.Combine(folder, $"{key}.json");
        if (outcome.Status != CheckStatus.Passed)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return;
        }

        Directory.CreateDirectory(folder);
        var entry = new CacheEntry(task, item, Run, clock(), key, components, outcome.Status, outcome.Detail, exhibits);

        // Written whole or not at all: a run killed mid-write leaves the old entry or none.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(entry, Json));
        File.Move(temporary, path, overwrite: true);
        foreach (var old in new DirectoryInfo(folder).EnumerateFiles("*.json").OrderByDescending(f => f.LastWriteTimeUtc).Skip(KeptPerCheck))
        {
            old.Delete();
        }
    }

    /// <summary>Input sets kept per check (e.g. dev and prod, with and without a plugin mirror).</summary>
    public const int KeptPerCheck = 4;

    private static CacheEntry? Read(string path, string task, string item)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(path), Json);
            return entry is not null && entry.Task == task && entry.Item == item && entry.Components is not null ? entry : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
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

    private string FolderOf(string task, string item) =>
        Path.Combine(Folder, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{task}\n{item}")))[..24].ToLowerInvariant());
}
