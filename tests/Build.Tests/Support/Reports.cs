using System.Text.Json;

namespace Platform.Build.Tests.Support;

/// <summary>One row of artifacts/reports/checks.json, as a test reads it.</summary>
public sealed record ReportRow(string Task, string? SeedId, string Item, string Kind, string Status, string Detail);

public static class ReportFile
{
    public static IReadOnlyList<ReportRow> Rows(string root)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "artifacts/reports/checks.json")));
        return [.. json.RootElement.GetProperty("Results").EnumerateArray().Select(r => new ReportRow(
            r.GetProperty("Task").GetString()!,
            r.GetProperty("SeedId").GetString(),
            r.GetProperty("Item").GetString()!,
            r.GetProperty("Kind").GetString()!,
            r.GetProperty("Status").GetString()!,
            r.GetProperty("Detail").GetString()!))];
    }

    public static ReportRow Row(string root, string task, string item) =>
        Rows(root).Single(r => r.Task == task && r.Item == item);

    /// <summary>A row with its cache note: replayed or why it ran (the task may be left out when the item is unique).</summary>
    public static (string Status, string Detail, string? Cache, bool Cached) CacheRow(string root, string? task, string item)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "artifacts/reports/checks.json")));
        var row = json.RootElement.GetProperty("Results").EnumerateArray()
            .Single(r => (task is null || r.GetProperty("Task").GetString() == task) && r.GetProperty("Item").GetString() == item);
        return (row.GetProperty("Status").GetString()!, row.GetProperty("Detail").GetString()!,
            row.GetProperty("Cache").GetString(), row.GetProperty("Cached").GetBoolean());
    }
}
