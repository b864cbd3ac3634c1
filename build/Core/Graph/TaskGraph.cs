using System.Reflection;
using System.Text;
using System.Text.Json;
using Platform.Build.Core.Tasks;

namespace Platform.Build.Core.Graph;

/// <summary>A node of the exported graph.</summary>
public sealed record GraphTask(string Name, string? SeedId, string? Description, IReadOnlyList<string> Dependencies, IReadOnlyList<string> Dependees);

/// <summary>The task DAG as Mermaid (docs, README) and JSON (tools), from the same catalog the engine runs.</summary>
public sealed class TaskGraph
{
    public const string ReadmeBegin = "<!-- task-graph:begin (written by ./build.sh --target=Graph) -->";
    public const string ReadmeEnd = "<!-- task-graph:end -->";

    private static readonly string[] PhaseTitles =
    [
        "Phase 1: Terraform Infrastructure",
        "Phase 2: Ansible Kubernetes Setup",
        "Phase 3: ArgoCD Setup",
        "Phase 4: Application Deployment",
    ];

    public TaskGraph(TaskCatalog catalog)
    {
        Tasks = [.. catalog.Tasks
            .Select(t => new GraphTask(
                t.Name,
                t.Type.GetCustomAttribute<SeedTaskAttribute>()?.Id,
                t.Description,
                [.. t.Dependencies.Select(d => catalog[d].Name)],
                [.. t.Dependees.Select(d => catalog[d].Name)]))
            .OrderBy(Group)
            .ThenBy(t => t.SeedId is null ? 0 : SeedOrder(t.SeedId))
            .ThenBy(t => t.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<GraphTask> Tasks { get; }

    public string ToJson() => JsonSerializer.Serialize(new { tasks = Tasks }, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    });

    /// <summary>A Mermaid flowchart: an edge points from a dependency to the task that needs it.</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder();
        text.AppendLine("```mermaid");
        text.AppendLine("flowchart TD");
        foreach (var group in Tasks.GroupBy(Group))
        {
            var (id, title) = GroupTitle(group.Key);
            text.AppendLine($"  subgraph {id}[\"{title}\"]");
            foreach (var task in group)
            {
                text.AppendLine($"    {task.Name}[\"{(task.SeedId is null ? string.Empty : task.SeedId + " ")}{task.Name}\"]");
            }

            text.AppendLine("  end");
        }

        foreach (var task in Tasks)
        {
            foreach (var dependency in task.Dependencies)
            {
                text.AppendLine($"  {dependency} --> {task.Name}");
            }

            foreach (var dependee in task.Dependees)
            {
                text.AppendLine($"  {task.Name} --> {dependee}");
            }
        }

        text.AppendLine("```");
        return text.ToString();
    }

    /// <summary>The README with the graph between its markers replaced.</summary>
    public static string EmbedInReadme(string readme, string mermaid)
    {
        var begin = readme.IndexOf(ReadmeBegin, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"README.md has no '{ReadmeBegin}' ... '{ReadmeEnd}' block: add the two markers where the graph goes");
        }

        return string.Concat(readme.AsSpan(0, begin + ReadmeBegin.Length), "\n", mermaid, readme.AsSpan(end));
    }

    private static int Group(GraphTask task) =>
        task.SeedId is { } id ? int.Parse(id[..id.IndexOf('.')], System.Globalization.CultureInfo.InvariantCulture)
        : task.Name.StartsWith("Checkpoint", StringComparison.Ordinal) ? 5
        : 6;

    private static (string Id, string Title) GroupTitle(int group) => group switch
    {
        >= 1 and <= 4 => ($"phase{group}", PhaseTitles[group - 1]),
        5 => ("checkpoints", "Checkpoints"),
        _ => ("targets", "Targets"),
    };

    private static int SeedOrder(string id)
    {
        var parts = id.Split('.');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * 100) + int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
