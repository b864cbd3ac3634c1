using Cake.Core;
using Xunit;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Frosting;

public sealed class TaskCatalogTests
{
    [TaskName("Same")]
    public sealed class One : FrostingTask;

    [TaskName("same")]
    public sealed class Two : FrostingTask;

    [IsDependentOn(typeof(NotATask))]
    public sealed class PointsAtNothing : FrostingTask;

    public sealed class NotATask;

    public sealed class OtherContext(ICakeContext context) : FrostingContext(context);

    public sealed class WantsOther : FrostingTask<OtherContext>;

    public sealed class Compile : FrostingTask
    {
        public override void Run(ICakeContext context) => Ran.Add("Compile");
    }

    /// <summary>A base class whose dependency every subclass keeps, as in Frosting.</summary>
    [IsDependentOn(typeof(Compile))]
    public abstract class NeedsCompile : FrostingTask;

    public sealed class Package : NeedsCompile
    {
        public override void Run(ICakeContext context) => Ran.Add("Package");
    }

    internal sealed class Hidden : FrostingTask;

    private static readonly List<string> Ran = [];

    [Fact]
    public void A_dependency_declared_on_a_base_class_runs_first()
    {
        Ran.Clear();
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(Compile), typeof(Package)), "--target=Package");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Compile", "Package"], Ran);
    }

    [Fact]
    public void Only_public_task_classes_are_found()
    {
        var found = TaskRegistrar.Discover(typeof(TaskCatalogTests).Assembly).ToList();

        Assert.Contains(typeof(Package), found);
        Assert.DoesNotContain(typeof(Hidden), found);
        Assert.DoesNotContain(typeof(NeedsCompile), found);
    }

    [Fact]
    public void Duplicate_names_are_refused_naming_both_classes()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(One), typeof(Two)), "--target=Same");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("task name 'Same' is used by", result.Output);
    }

    [Fact]
    public void A_dependency_on_a_class_that_is_not_a_task_is_refused()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(PointsAtNothing)), "--target=PointsAtNothing");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PointsAtNothing refers to NotATask, which is not a task of this build", result.Output);
    }

    [Fact]
    public void A_task_for_another_context_is_left_out_with_a_warning_as_Frosting_does()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(WantsOther), typeof(Compile)), "--target=WantsOther");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Task WantsOther runs on OtherContext, but the host's context is FrostingContext: it is not registered (call UseContext<OtherContext>()).", result.Output);
        Assert.Contains("Error: The target 'WantsOther' was not found.", result.Output);
    }
}
