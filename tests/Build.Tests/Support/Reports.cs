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
}
