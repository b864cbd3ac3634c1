using Cake.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Frosting;

/// <summary>
/// Small Frosting programs the way Cake.Frosting's documentation writes them:
/// services registered with ConfigureServices or a startup reach tasks,
/// lifetimes and the context through their constructors.
/// </summary>
public sealed class DependencyInjectionTests : IDisposable
{
    private static readonly List<string> Log = [];

    public DependencyInjectionTests() => Log.Clear();

    public void Dispose() => Log.Clear();

    public sealed class Greeter(string name)
    {
        public string Greet() => $"hello {name}";
    }

    public sealed class Greet(Greeter greeter) : FrostingTask
    {
        public override void Run(ICakeContext context) => Log.Add(greeter.Greet());
    }

    public sealed class Startup : IFrostingStartup
    {
        public void Configure(IServiceCollection services) => services.AddSingleton(new Greeter("from the startup"));
    }

    public sealed class Lifetime(Greeter greeter) : FrostingLifetime
    {
        public override void Setup(ICakeContext context, ISetupContext info) => Log.Add($"setup {greeter.Greet()}");

        public override void Teardown(ICakeContext context, ITeardownContext info) => Log.Add("teardown");
    }

    public sealed class EachTask : FrostingTaskLifetime
    {
        public override void Setup(ICakeContext context, ITaskSetupContext info) => Log.Add($"before {info.Task.Name}");

        public override void Teardown(ICakeContext context, ITaskTeardownContext info) => Log.Add($"after {info.Task.Name}");
    }

    public sealed class OnlySetup : FrostingSetup
    {
        public override void Setup(ICakeContext context, ISetupContext info) => Log.Add("only setup");
    }

    public sealed class NamedContext(ICakeContext context, Greeter greeter) : FrostingContext(context)
    {
        public string Greeting => greeter.Greet();
    }

    public sealed class UsesContext : FrostingTask<NamedContext>
    {
        public override void Run(NamedContext context) => Log.Add($"context says {context.Greeting}");
    }

    public sealed class OtherContext(ICakeContext context) : FrostingContext(context);

    /// <summary>A Cake module as addins write them: registrations through Cake's registrar.</summary>
    public sealed class GreeterModule : Cake.Core.Composition.ICakeModule
    {
        public void Register(Cake.Core.Composition.ICakeContainerRegistrar registrar) =>
            registrar.RegisterInstance(new Greeter("from a module")).AsSelf();
    }

    public sealed class ReadsSettings : FrostingTask
    {
        public override void Run(ICakeContext context) =>
            Log.Add($"{context.Configuration.GetValue("Platform_Greeting")} {context.Configuration.GetValue("Paths_Tools")}");
    }

    [Fact]
    public void A_module_registers_services_the_way_Cake_modules_do()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(Greet)).UseModule<GreeterModule>(), "--target=Greet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["hello from a module"], Log);
    }

    [Fact]
    public void Cake_settings_and_the_tool_path_reach_the_configuration()
    {
        var tools = Path.Combine(Path.GetTempPath(), "frosting-tools");
        var host = new CakeHost().WithTasks(typeof(ReadsSettings))
            .UseCakeSetting("Platform_Greeting", "first").UseCakeSetting("Platform_Greeting", "hi")
            .SetToolPath(new Cake.Core.IO.DirectoryPath(tools));

        var result = BuildRun.Host(host, "--target=ReadsSettings");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"hi {tools}"], Log);
    }

    [Fact]
    public void A_service_from_ConfigureServices_reaches_a_task_constructor()
    {
        var host = new CakeHost().WithTasks(typeof(Greet)).ConfigureServices(s => s.AddSingleton(new Greeter("from ConfigureServices")));

        var result = BuildRun.Host(host, "--target=Greet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["hello from ConfigureServices"], Log);
    }

    [Fact]
    public void A_startup_configures_the_services_and_a_lifetime_gets_them_too()
    {
        var host = new CakeHost().WithTasks(typeof(Greet)).UseStartup<Startup>().UseLifetime<Lifetime>().UseTaskLifetime<EachTask>();

        var result = BuildRun.Host(host, "--target=Greet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["setup hello from the startup", "before Greet", "hello from the startup", "after Greet", "teardown"], Log);
    }

    [Fact]
    public void The_context_is_made_by_the_container_and_the_last_UseContext_wins()
    {
        var host = new CakeHost().WithTasks(typeof(UsesContext)).UseContext<OtherContext>().UseContext<NamedContext>()
            .ConfigureServices(s => s.AddSingleton(new Greeter("to the context")));

        var result = BuildRun.Host(host, "--target=UsesContext");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["context says hello to the context"], Log);
    }

    [Fact]
    public void A_setup_alone_runs_without_a_teardown()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(Greet)).UseSetup<OnlySetup>().ConfigureServices(s => s.AddSingleton(new Greeter("x"))), "--target=Greet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["only setup", "hello x"], Log);
    }

    [Fact]
    public void A_task_whose_service_is_not_registered_fails_naming_it()
    {
        var result = BuildRun.Host(new CakeHost().WithTasks(typeof(Greet)), "--target=Greet");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Greeter", result.Output);
        Assert.Empty(Log);
    }

    [Fact]
    public void Create_makes_a_host_as_the_constructor_does()
    {
        var result = BuildRun.Host(CakeHost.Create().WithTasks(typeof(Greet)).UseStartup<Startup>(), "--target=Greet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["hello from the startup"], Log);
    }

    public sealed class ReadsConfiguration : FrostingTask
    {
        public override void Run(ICakeContext context) => Log.Add(context.Configuration.GetValue("Platform_Greeting") ?? "none");
    }

    [Fact]
    public void The_command_line_reaches_Cakes_configuration_over_UseCakeSetting()
    {
        var host = () => new CakeHost().WithTasks(typeof(ReadsConfiguration)).UseCakeSetting("Platform_Greeting", "from the setting");

        Assert.Equal(0, BuildRun.Host(host(), "--target=ReadsConfiguration").ExitCode);
        Assert.Equal(0, BuildRun.Host(host(), "--target=ReadsConfiguration", "--platform_greeting=from the command line").ExitCode);

        Assert.Equal(["from the setting", "from the command line"], Log);
    }

    public sealed class LoggingContext : FrostingContext
    {
        public LoggingContext(ICakeContext context) : base(context) => DependencyInjectionTests.Log.Add("context");
    }

    public sealed class LoggingInstaller : Cake.Core.Packaging.IPackageInstaller
    {
        public bool CanInstall(Cake.Core.Packaging.PackageReference package, Cake.Core.Packaging.PackageType type) => package.Scheme == "log";

        public IReadOnlyCollection<Cake.Core.IO.IFile> Install(Cake.Core.Packaging.PackageReference package, Cake.Core.Packaging.PackageType type, Cake.Core.IO.DirectoryPath path)
        {
            Log.Add("install");
            var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"platform-{Guid.NewGuid():N}.exe");
            File.WriteAllText(file, string.Empty);
            return [new Cake.Core.IO.FileSystem().GetFile(file)];
        }
    }

    [Fact]
    public void Tools_are_installed_after_the_context_is_made_and_before_the_tasks_run_and_not_for_version()
    {
        var host = () => new CakeHost().WithTasks(typeof(Greet)).UseStartup<Startup>().UseContext<LoggingContext>()
            .UsePackageInstaller<LoggingInstaller>().InstallTool(new Uri("log:?package=anything"));

        Assert.Equal(0, BuildRun.Host(host(), "--target=Greet").ExitCode);
        Assert.Equal(0, BuildRun.Host(host(), "--version").ExitCode);

        Assert.Equal(["context", "install", "hello from the startup"], Log);
    }
}
