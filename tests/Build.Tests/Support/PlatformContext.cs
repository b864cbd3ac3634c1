using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Platform.Build.Core.Context;
using Platform.Build.Core.Hosting;
using Platform.Build.Frosting;

namespace Platform.Build.Tests.Support;

/// <summary>
/// A real BuildContext for a repository folder, outside a build run, so a test
/// can call the build's Terraform code directly. With a fake process runner,
/// nothing is executed; without one, Cake runs the real tools.
/// </summary>
public static class PlatformContext
{
    public static BuildContext Create(string root, IProcessRunner? runner = null, params string[] arguments)
    {
        var log = new RecordingLog();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var cwd = Environment.CurrentDirectory;
        environment.WorkingDirectory = new DirectoryPath(root);
        var fileSystem = new FileSystem();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var tools = new ToolLocator(environment, new ToolRepository(environment), new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var parsed = HostOptions.Parse(arguments);
        var services = new Services(new PlatformRun(arguments, caller: root));
        var cake = new CakeContext(
            fileSystem, environment, globber, log,
            new CakeArguments(parsed.Arguments.SelectMany(p => p.Value.Select(v => (p.Key, v))).ToLookup(p => p.Key, p => p.v, StringComparer.OrdinalIgnoreCase)),
            runner ?? new ProcessRunner(fileSystem, environment, log, tools, configuration),
            new WindowsRegistry(), runner is null ? tools : new FakeToolsLocator(), new CakeDataService(), configuration,
            new ToolInstaller(environment, tools, configuration, log, []),
            services);
        try
        {
            return new BuildContext(cake);
        }
        finally
        {
            Environment.CurrentDirectory = cwd; // Cake moved the process to the root; the paths are absolute already
        }
    }

    private sealed class Services(PlatformRun run) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(PlatformRun) ? run : null;
    }

    /// <summary>With a fake runner, every tool resolves to an existing file so Cake hands the start to the fake.</summary>
    private sealed class FakeToolsLocator : IToolLocator
    {
        public void RegisterFile(FilePath path)
        {
        }

        public FilePath Resolve(string tool) => new(System.IO.Path.Combine(FakeTools.Folder, "terraform"));

        public FilePath Resolve(IEnumerable<string> toolExeNames) => Resolve(toolExeNames.First());
    }
}
