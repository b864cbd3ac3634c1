using System.Text.Json;

namespace Platform.Build.Apps;

/// <summary>What an Argo CD Application reports: sync and health, the operation, history, and the resources that are not well.</summary>
public sealed record ApplicationState(
    string? Sync,
    string? Health,
    string? Revision,
    string? OperationPhase,
    string? OperationMessage,
    IReadOnlyList<(long Id, string Revision)> History,
    IReadOnlyList<string> Unwell)
{
    /// <summary>An operation asked for and not yet taken up by the controller (the top-level <c>operation</c> field).</summary>
    public bool OperationPending { get; init; }

    /// <summary>When the controller started the last operation (<c>status.operationState.startedAt</c>), as Argo CD wrote it.</summary>
    public string? StartedAt { get; init; }

    /// <summary>The source of each history entry (JSON), for a rollback to it.</summary>
    public IReadOnlyDictionary<long, string> HistorySources { get; init; } = new Dictionary<long, string>();

    /// <summary>An operation is queued or running: another sync must wait.</summary>
    public bool Busy => OperationPending || OperationPhase is "Running" or "Terminating";

    public bool Done => Sync == "Synced" && Health == "Healthy" && OperationPhase is null or "Succeeded";

    public bool Broken => OperationPhase is "Failed" or "Error";

    public string Summary => $"sync {Sync ?? "unknown"}, health {Health ?? "unknown"}{(OperationPhase is null ? string.Empty : $", operation {OperationPhase}")}";

    public static ApplicationState From(JsonElement app)
    {
        string? Get(JsonElement e, params string[] path)
        {
            foreach (var key in path)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(key, out e))
                {
                    return null;
                }
            }

            return e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        }

        var status = app.TryGetProperty("status", out var s) ? s : default;
        var history = new List<(long, string)>();
        var sources = new Dictionary<long, string>();
        var unwell = new List<string>();
        if (status.ValueKind == JsonValueKind.Object)
        {
            if (status.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in h.EnumerateArray())
                {
                    var id = entry.GetProperty("id").GetInt64();
                    history.Add((id, Get(entry, "revision") ?? "?"));
                    if (entry.TryGetProperty("source", out var source))
                    {
                        sources[id] = source.GetRawText();
                    }
                }
            }

            if (status.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in resources.EnumerateArray())
                {
                    var health = Get(r, "health", "status");
                    var sync = Get(r, "status");
                    if (health is not (null or "Healthy") || sync is not (null or "Synced"))
                    {
                        var where = Get(r, "namespace") is { } ns ? $" in {ns}" : string.Empty;
                        var message = Get(r, "health", "message") is { } m ? $": {m}" : string.Empty;
                        unwell.Add($"{Get(r, "kind")}/{Get(r, "name")}{where} {sync ?? "-"}/{health ?? "-"}{message}");
                    }
                }
            }
        }

        return new ApplicationState(Get(status, "sync", "status"), Get(status, "health", "status"), Get(status, "sync", "revision"),
            Get(status, "operationState", "phase"), Get(status, "operationState", "message"), history, unwell)
        {
            OperationPending = app.TryGetProperty("operation", out var operation) && operation.ValueKind == JsonValueKind.Object,
            StartedAt = Get(status, "operationState", "startedAt"),
            HistorySources = sources,
        };
    }
}
