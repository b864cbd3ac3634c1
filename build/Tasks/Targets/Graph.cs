using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Targets;

/// <summary>Writes the task DAG: docs/task-graph.md (also embedded in README.md) and artifacts/task-graph.json.</summary>
[OfflineTarget(RunMode.Validate)]
[TaskDescription("Graph: writes the task graph as Mermaid (docs/task-graph.md, README.md) and JSON (artifacts/task-graph.json)")]
public sealed class Graph : PlatformTask
{
    public const string Item = "Task graph written";

    protected override void Define(Checklist checklist) => checklist.Lint(Item, Write).Reading(CheckInputs.Writing("the task graph docs"));

    private static Outcome Write(BuildContext context)
    {
        var graph = new TaskGraph(context.Catalog);
        var mermaid = graph.ToMermaid();

        var doc = context.Paths.Combine("docs/task-graph.md");
        Directory.CreateDirectory(Path.GetDirectoryName(doc)!);
        File.WriteAllText(doc, $"# Task graph\n\nThe build's tasks and their dependencies (an arrow points from a dependency to the task that needs it). Written by `./build.sh --target=Graph`; a test fails when it is out of date.\n\n{mermaid}");

        var json = context.Paths.Combine("artifacts/task-graph.json");
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        File.WriteAllText(json, graph.ToJson());

        var readme = context.Paths.Combine("README.md");
        File.WriteAllText(readme, TaskGraph.EmbedInReadme(File.ReadAllText(readme), mermaid));
        return Outcome.Pass($"{graph.Tasks.Count} tasks: docs/task-graph.md, README.md, artifacts/task-graph.json");
    }
}
