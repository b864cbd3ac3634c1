using System.Reflection;
using Xunit;
using Platform.Build.Core.Context;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Tasks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>The typed task graph is the seed's: 24 tasks, 31 edges, exactly as the Dependencies lines say.</summary>
public sealed class TaskGraphTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.Of(typeof(BuildContext).Assembly);

    private static string Id(Type type) => type.GetCustomAttribute<SeedTaskAttribute>()!.Id;

    private static IEnumerable<TaskDescriptor> SeedTasks => Catalog.Tasks.Where(t => t.Type.GetCustomAttribute<SeedTaskAttribute>() is not null);

    // From ../shared/seed/tasks-template.md, written out by hand so this test does not trust any parser.
    private static readonly string[] SeedEdges =
    [
        "1.1->1.2", "1.1->1.3", "1.1->1.4", "1.2->1.5", "1.3->1.5", "1.4->1.5", "1.5->1.6",
        "1.6->2.2", "2.1->2.2", "2.1->2.3", "2.1->2.4", "2.1->2.5", "2.1->2.6",
        "2.3->2.7", "2.4->2.7", "2.5->2.7", "2.6->2.7", "2.7->2.8", "2.2->2.8",
        "2.8->3.1", "3.1->3.2", "3.2->3.3", "3.2->3.4",
        "2.8->4.1", "4.1->4.2", "4.1->4.3", "4.2->4.3", "4.3->4.4", "3.3->4.4", "4.4->4.5", "4.5->4.6",
    ];

    [Fact]
    public void There_is_one_typed_task_per_seed_task_in_a_folder_per_phase()
    {
        var ids = SeedTasks.Select(t => Id(t.Type)).Order().ToList();

        Assert.Equal(24, ids.Count);
        Assert.Equal(
            ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6"],
            ids);
        Assert.All(SeedTasks, t => Assert.Equal($"Platform.Build.Tasks.Phase{Id(t.Type)[0]}", t.Type.Namespace));
    }

    [Fact]
    public void The_dependencies_are_exactly_the_seed_edges()
    {
        var edges = SeedTasks
            .SelectMany(t => t.Dependencies.Select(d => $"{Id(d)}->{Id(t.Type)}"))
            .Order()
            .ToList();

        Assert.Equal(31, edges.Count);
        Assert.Equal(SeedEdges.Order(), edges);
    }

    [Fact]
    public void Every_seed_task_has_a_readable_name_and_a_description_with_its_id()
    {
        Assert.All(SeedTasks, t =>
        {
            Assert.Matches("^[A-Z][A-Za-z]+$", t.Name);
            Assert.StartsWith($"Task {Id(t.Type)}: ", t.Description);
        });
    }

    [Theory]
    [InlineData("Checkpoint1", "ApplyInfrastructure")]
    [InlineData("Checkpoint2", "ExecuteKubernetesSetup")]
    [InlineData("Checkpoint3", "ConfigureArgoCdProjects,ConfigureRepositoryAccess")]
    [InlineData("Checkpoint4", "ConfigureMonitoring")]
    [InlineData("Validate", "Doctor,Checkpoint1,Checkpoint2,Checkpoint3,Checkpoint4,Audit,ProductionReadiness")]
    [InlineData("Default", "Validate")]
    [InlineData("DeployApp", "ConfigureRepositoryAccess,DeployApplication")]
    [InlineData("Lint", "Doctor,ApplyInfrastructure,ExecuteKubernetesSetup,ConfigureArgoCdProjects,ConfigureRepositoryAccess,ConfigureMonitoring")]
    [InlineData("Graph", "")]
    [InlineData("Doctor", "")]
    public void Targets_depend_on_what_they_cover(string target, string dependencies)
    {
        var task = Catalog.Find(target)!;
        Assert.Equal(
            dependencies.Split(',', StringSplitOptions.RemoveEmptyEntries),
            task.Dependencies.Select(d => Catalog[d].Name));
    }

    [Fact]
    public void Validate_and_Lint_reach_every_seed_task()
    {
        foreach (var target in new[] { "Validate", "Lint" })
        {
            var reached = Reach(Catalog.Find(target)!);
            Assert.All(SeedTasks, t => Assert.Contains(t.Name, reached));
        }
    }

    [Fact]
    public void Graph_files_in_the_repository_are_current()
    {
        var mermaid = new TaskGraph(Catalog).ToMermaid();

        Assert.Contains(mermaid, File.ReadAllText(Repo.Path("docs/task-graph.md")));
        var readme = File.ReadAllText(Repo.Path("README.md"));
        Assert.Equal(TaskGraph.EmbedInReadme(readme, mermaid), readme);
    }

    [Fact]
    public void Graph_target_writes_mermaid_json_and_the_readme_block()
    {
        using var env = EnvironmentScope.WithoutAws();
        using var repo = new TempRepo();
        var result = BuildRun.Platform("--target=Graph", $"--working={repo.Root}");

        Assert.Equal(0, result.ExitCode);
        var doc = repo.Read("docs/task-graph.md");
        Assert.Contains("InitializeTerraformProject --> CreateVpcModule", doc);
        Assert.Contains("ApplyInfrastructure --> CreateDynamicInventory", doc);
        Assert.Contains(doc[doc.IndexOf("```mermaid", StringComparison.Ordinal)..], repo.Read("README.md"));

        using var json = System.Text.Json.JsonDocument.Parse(repo.Read("artifacts/task-graph.json"));
        var tasks = json.RootElement.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(Catalog.Tasks.Count, tasks.Count);
        var inventory = tasks.Single(t => t.GetProperty("name").GetString() == "CreateDynamicInventory");
        Assert.Equal("2.2", inventory.GetProperty("seedId").GetString());
        Assert.StartsWith("Task 2.2: Create Dynamic Inventory from Terraform", inventory.GetProperty("description").GetString());
        Assert.Equal(["ApplyInfrastructure", "InitializeAnsibleProject"], inventory.GetProperty("dependencies").EnumerateArray().Select(d => d.GetString()));
    }

    private static HashSet<string> Reach(TaskDescriptor task)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<TaskDescriptor>([task]);
        while (stack.TryPop(out var next))
        {
            foreach (var dependency in next.Dependencies.Select(d => Catalog[d]).Where(d => seen.Add(d.Name)))
            {
                stack.Push(dependency);
            }
        }

        return seen;
    }

    [Fact]
    public void Suggestions_rank_by_edit_distance()
    {
        Assert.Equal(["Checkpoint2", "Checkpoint1"], TargetSuggestions.Closest("Chekpoint2", ["Checkpoint1", "Checkpoint2", "Lint"], 2));
        Assert.Equal(1, TargetSuggestions.Distance("lint", "lints"));
    }
}
