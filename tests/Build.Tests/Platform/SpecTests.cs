using Xunit;
using Platform.Build.Core.Context;
using Platform.Build.Core.Spec;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Platform;

/// <summary>specs/platform/tasks.md is the seed, filled in, and the typed tasks do not drift from it.</summary>
public sealed class SpecTests
{
    private static readonly SpecDocument Spec = SpecDocument.Load(Repo.Path("specs/platform/tasks.md"));
    private static readonly SpecDocument Seed = SpecDocument.Load(Repo.Path("specs/seed/tasks-template.md"));

    [Fact]
    public void The_typed_tasks_agree_with_the_spec()
    {
        var catalog = new TaskCatalog(TaskCatalog.Discover(typeof(BuildContext).Assembly), typeof(BuildContext));

        Assert.Empty(SpecConformance.Findings(Spec, catalog));
    }

    [Fact]
    public void The_spec_has_every_seed_task_with_its_dependencies_and_checklist()
    {
        Assert.Equal(Seed.Tasks.Select(t => t.Id), Spec.Tasks.Select(t => t.Id));
        foreach (var seed in Seed.Tasks)
        {
            var ours = Spec.FindTask(seed.Id)!;
            Assert.Equal(seed.Title, ours.Title);
            Assert.Equal(seed.Dependencies, ours.Dependencies);
            Assert.All(seed.Validation, item => Assert.Contains(item, ours.Validation));
            Assert.NotNull(ours.BuildTask);
        }
    }

    [Fact]
    public void The_spec_has_every_seed_checkpoint_item()
    {
        Assert.Equal([1, 2, 3, 4], Spec.Checkpoints.Select(c => c.Number));
        foreach (var seed in Seed.Checkpoints)
        {
            Assert.Equal(seed.Items, Spec.FindCheckpoint(seed.Number)!.Items);
        }
    }

    [SkippableFact]
    public void The_vendored_seed_is_the_shared_one()
    {
        var shared = Path.GetFullPath(Path.Combine(Repo.Root, "../shared/seed/tasks-template.md"));
        Skip.IfNot(File.Exists(shared), "no ../shared/seed beside this clone: only the vendored copy is there to compare");

        Assert.Equal(File.ReadAllText(shared), File.ReadAllText(Repo.Path("specs/seed/tasks-template.md")));
    }

    [Fact]
    public void The_parser_reads_every_field()
    {
        var task = Spec.FindTask("2.2")!;

        Assert.Equal("Create Dynamic Inventory from Terraform", task.Title);
        Assert.Equal("CreateDynamicInventory", task.BuildTask);
        Assert.Equal(["1.6", "2.1"], task.Dependencies);
        Assert.Contains("ansible/inventory/dev/terraform-inventory.py", task.Files);
        Assert.Contains("Can ping all hosts: `ansible all -m ping`", task.Validation);
        Assert.Equal("Create Application Manifests", Spec.FindTask("4.3")!.Title); // tags like [Helm/Kustomize] are not the title
    }

    [Theory]
    [InlineData("no tasks here\n", "no '### Task <id>: <title>' headings found")]
    [InlineData("### Task 1.1: A\n### Task 1.1: B\n", "x.md:2: Task 1.1 appears twice")]
    [InlineData("### Task 1.1: A\n**Build task**: Name\n", "x.md:2: **Build task** needs a backticked class name")]
    public void Malformed_specs_are_errors_naming_the_file_and_line(string text, string message)
    {
        var error = Assert.Throws<SpecException>(() => SpecDocument.Parse(text, "x.md"));
        Assert.Contains(message, error.Message);
    }
}
