using Platform.Build.Core.Graph;
using Xunit;
using Platform.Build.Core.Context;
using Platform.Build.Core.Spec;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>specs/platform/tasks.md is the seed, filled in, and the typed tasks do not drift from it.</summary>
public sealed class SpecTests
{
    private static readonly SpecDocument Spec = SpecDocument.Load(Repo.Path("specs/platform/tasks.md"));
    private static readonly SpecDocument Seed = SpecDocument.Load(Repo.Path("specs/seed/tasks-template.md"));

    [Fact]
    public void The_typed_tasks_agree_with_the_spec()
    {
        var catalog = TaskCatalog.Of(typeof(BuildContext).Assembly);

        Assert.Empty(SpecConformance.Findings(Spec, catalog));
    }

    [Fact]
    public void A_task_that_lists_files_without_the_files_item_is_found()
    {
        var text = File.ReadAllText(Repo.Path("specs/platform/tasks.md"));
        var task = text.IndexOf("### Task 1.2:", StringComparison.Ordinal);
        var item = text.IndexOf("- [ ] Listed files exist and are well-formed", task, StringComparison.Ordinal);
        var edited = text.Remove(item, "- [ ] Listed files exist and are well-formed\n".Length);
        var catalog = TaskCatalog.Of(typeof(BuildContext).Assembly);

        Assert.Contains("Task 1.2 (CreateVpcModule): lists Files to Create but not the item 'Listed files exist and are well-formed'",
            SpecConformance.Findings(SpecDocument.Parse(edited, "tasks.md"), catalog));
    }

    [Fact]
    public void The_files_item_checks_the_spec_list_and_nothing_else()
    {
        // The class restates no file: a file added to the spec is checked, and its absence named.
        using var repo = TempRepo.WithTracked("specs", "terraform");
        var spec = repo.Read("specs/platform/tasks.md");
        repo.Write("specs/platform/tasks.md", spec.Replace("- `terraform/modules/vpc/README.md`\n", "- `terraform/modules/vpc/README.md`\n- `terraform/modules/vpc/locals.tf`\n", StringComparison.Ordinal));

        BuildRun.Platform("--target=CreateVpcModule", "--exclusive", $"--working={repo.Root}");
        var row = ReportFile.Row(repo.Root, "CreateVpcModule", "Listed files exist and are well-formed");

        Assert.Equal("Failed", row.Status);
        Assert.Contains("terraform/modules/vpc/locals.tf", row.Detail);
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
    public void The_spec_has_the_seeds_post_implementation_list_in_its_groups()
    {
        var seed = Seed.PostImplementation!;
        var ours = Spec.PostImplementation!;
        Assert.Equal(13, seed.Items.Count);
        Assert.Equal(seed.Groups.Select(g => g.Title), ours.Groups.Select(g => g.Title));
        foreach (var group in seed.Groups)
        {
            Assert.All(group.Items, item => Assert.Contains(item, ours.Groups.Single(g => g.Title == group.Title).Items));
        }

        Assert.Equal("ProductionReadiness", ours.BuildTask);
        Assert.Equal(4, ours.AfterCheckpoint);
        Assert.Contains("RUNBOOK.md", ours.Files);
    }

    [Fact]
    public void A_post_implementation_task_that_drifts_from_its_list_is_found()
    {
        var text = File.ReadAllText(Repo.Path("specs/platform/tasks.md"));
        var drifted = SpecDocument.Parse(text.Replace("**Dependencies**: Checkpoint 4", "**Dependencies**: Checkpoint 3", StringComparison.Ordinal)
            .Replace("- [ ] Conduct disaster recovery drill\n", string.Empty, StringComparison.Ordinal), "tasks.md");

        var findings = SpecConformance.Findings(drifted, TaskCatalog.Of(typeof(BuildContext).Assembly));

        Assert.Contains("ProductionReadiness: depends on [Checkpoint4], the spec says Checkpoint 3", findings);
        Assert.Contains("ProductionReadiness: checks 'Conduct disaster recovery drill', which is not in the post-implementation list", findings);
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
