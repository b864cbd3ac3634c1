using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Scripting;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>
/// The entry point of a Frosting-style build:
/// <c>return new CakeHost().UseContext&lt;BuildContext&gt;().Run(args);</c>
/// Builds Cake's real context and engine, registers the task classes, and runs
/// the targets through Cake.Cli's script hosts (normal run, --dryrun, --tree,
/// --description).
/// </summary>
public sealed class CakeHost
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    private readonly List<Assembly> _assemblies = [];
    private readonly ServiceCollection _services = new();
    private Type[]? _tasks;
    private string? _workingDirectory;
    private TextWriter? _output;
    private string? _help;

    /// <summary>Registers services for the build, at once (as Cake.Frosting): tasks, lifetimes and the context get them by constructor injection.</summary>
    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_services);
        return this;
    }

    /// <summary>Adds an assembly to search for tasks (default: the entry assembly).</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>The directory the build runs in, relative to the current one; <c>--working</c> overrides it.</summary>
    public CakeHost UseWorkingDirectory(string path)
    {
        _workingDirectory = path;
        return this;
    }

    /// <summary>The context type registered last (Cake.Frosting: the last UseContext wins).</summary>
    private Type ContextType => _services.LastOrDefault(d => d.ServiceType == typeof(IFrostingContext))?.ImplementationType ?? typeof(DefaultFrostingContext);

    /// <summary>Not in Cake.Frosting: register exactly these task classes (tests use it to build small graphs).</summary>
    public CakeHost UseTasks(params Type[] tasks)
    {
        _tasks = tasks;
        return this;
    }

    /// <summary>Not in Cake.Frosting: write everything to this writer instead of the console (tests read it).</summary>
    public CakeHost UseOutput(TextWriter output)
    {
        _output = output;
        return this;
    }

    /// <summary>Not in Cake.Frosting: lines appended to --help (the build's own options).</summary>
    public CakeHost UseHelp(string text)
    {
        _help = text;
        return this;
    }

    public int Run(IEnumerable<string> args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<int> RunAsync(IEnumerable<string> args)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var console = _output is null ? HostConsole.ForProcess(environment) : HostConsole.ForWriter(_output);
        var log = new CakeBuildLog(console.Cake, Verbosity.Normal);
        var caller = Environment.CurrentDirectory;
        try
        {
            var options = HostOptions.Parse(args);
            log.Verbosity = options.Verbosity;
            if (options.Help || options.Version || options.Info)
            {
                HostInfo.Print(console, options, ContextType.Assembly, _help);
                return ExitOk;
            }

            SetWorkingDirectory(environment, options.WorkingDirectory ?? _workingDirectory);
            return await RunTargetsAsync(options, environment, console, log, caller).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            return ReportError(log, exception);
        }
    }

    private async Task<int> RunTargetsAsync(HostOptions options, ICakeEnvironment environment, HostConsole console, CakeBuildLog log, string caller)
    {
        var fileSystem = new FileSystem();
        var arguments = new CakeArguments(options.Arguments
            .SelectMany(pair => pair.Value.Select(value => (pair.Key, value)))
            .ToLookup(p => p.Key, p => p.value, StringComparer.OrdinalIgnoreCase));
        // The build's settings (UseCakeSetting), then cake.config and CAKE_ environment variables as Cake reads them.
        var settings = _services.Where(d => d.ServiceType == typeof(CakeSetting) && d.ImplementationInstance is CakeSetting)
            .Select(d => (CakeSetting)d.ImplementationInstance!)
            .GroupBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);
        var configuration = new CakeConfigurationProvider(fileSystem, environment)
            .CreateConfiguration(environment.WorkingDirectory, settings);
        var globber = new Globber(fileSystem, environment);
        var data = new CakeDataService();
        var toolLocator = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var services = new HostServices(console);
        services.Add(new HostDirectories(caller));
        var provider = new DeferredServices(services);
        var cakeContext = new CakeContext(
            fileSystem, environment, globber, log, arguments,
            new ProcessRunner(fileSystem, environment, log, toolLocator, configuration),
            new WindowsRegistry(), toolLocator, data, configuration,
            new ToolInstaller(environment, toolLocator, configuration, log, Array.Empty<IPackageInstaller>()),
            provider);

        // Catalogue first: a broken task graph is reported before the context parses options.
        var contextType = ContextType;
        var catalog = new TaskCatalog(_tasks ?? FindTasks(), contextType);
        services.Add(catalog);
        var engine = new CakeEngine(data, log);
        services.Add<ICakeEngine>(engine);
        var container = Container(cakeContext, services, contextType);
        provider.Use(container);
        var context = CreateContext(container);
        TaskRegistrar.Register(engine, catalog, context, container);
        RegisterLifetimes(engine, context, container);

        var unknown = options.Description ? [] : options.Targets.Where(t => catalog.Find(t) is null).ToList();
        if (options.Tree && (!options.TargetsGiven || unknown.Count > 0))
        {
            // --tree without a target, or with one this build lacks, shows every
            // root (Frosting's tree ignores targets; not only Default, cake-build/cake #4474).
            options.Targets.Clear();
            options.Targets.AddRange(catalog.Roots.Select(t => t.Name));
            unknown.Clear();
        }

        if (unknown.Count > 0)
        {
            // Every unknown target at once, as Frosting names them all.
            throw new HostUsageException(TargetSuggestions.NotFound(unknown, catalog.Tasks.Select(t => t.Name)));
        }

        var printer = new FrostingReportPrinter(console, log,
            environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true");
        var strategy = new SummaryFirstStrategy(new DefaultExecutionStrategy(log, printer));
        IScriptHost host = options switch
        {
            { Description: true } => new DescriptionScriptHost(engine, context, console.Ansi),
            { Tree: true } => new TreeScriptHost(engine, context, console.Cake),
            { DryRun: true } => new DryRunScriptHost(engine, context, log),
            _ => new BuildScriptHost(engine, strategy, context, printer, configuration, log),
        };

        if (options.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        // Several targets share one graph: a common dependency runs once (cake-build/cake #4324).
        host.Settings.UseUnifiedDependencyGraphForMultipleTargets(true);
        try
        {
            if (options.Targets.Count == 1)
            {
                await host.RunTargetAsync(options.Targets[0]).ConfigureAwait(false);
            }
            else
            {
                await host.RunTargetsAsync(options.Targets).ConfigureAwait(false);
            }
        }
        catch (CakeReportException failure) when (host is BuildScriptHost && failure.Report is { IsEmpty: false } && !printer.Written)
        {
            // The summary is printed on failure too (cake-build/cake #4475).
            printer.Write(failure.Report);
            throw;
        }

        if (strategy.TeardownFailure is { } teardown)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(teardown).Throw();
        }

        return ExitOk;
    }

    /// <summary>
    /// The build's container: what the build registered, then what the host
    /// provides (the Cake context, its parts, the console, the task catalog and
    /// the engine), so tasks, lifetimes and the context can ask for any of it.
    /// </summary>
    private ServiceProvider Container(ICakeContext cakeContext, HostServices host, Type contextType)
    {
        var services = new ServiceCollection();
        foreach (var descriptor in _services)
        {
            ((ICollection<ServiceDescriptor>)services).Add(descriptor);
        }

        services.AddSingleton(cakeContext);
        services.AddSingleton(cakeContext.Log);
        services.AddSingleton(cakeContext.Environment);
        services.AddSingleton(cakeContext.FileSystem);
        services.AddSingleton(cakeContext.Arguments);
        services.AddSingleton(cakeContext.Configuration);
        services.AddSingleton(cakeContext.Tools);
        services.AddSingleton(cakeContext.ProcessRunner);
        foreach (var (type, instance) in host.All)
        {
            services.AddSingleton(type, instance);
        }

        if (!_services.Any(d => d.ServiceType == typeof(IFrostingContext)))
        {
            services.AddSingleton(typeof(IFrostingContext), contextType);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
    }

    private static IFrostingContext CreateContext(IServiceProvider container)
    {
        try
        {
            return container.GetRequiredService<IFrostingContext>();
        }
        catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
        {
            // The context validates options in its constructor; report its message, not the reflection wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(invocation.InnerException).Throw();
            throw;
        }
    }

    private static void RegisterLifetimes(ICakeEngine engine, IFrostingContext context, IServiceProvider container)
    {
        // One of each, the last registered (as in Cake.Frosting).
        if (container.GetService<IFrostingSetup>() is { } setup)
        {
            engine.RegisterSetupAction(info => setup.Setup(context, info));
        }

        if (container.GetService<IFrostingTeardown>() is { } teardown)
        {
            engine.RegisterTeardownAction(info => teardown.Teardown(context, info));
        }

        if (container.GetService<IFrostingTaskSetup>() is { } taskSetup)
        {
            engine.RegisterTaskSetupAction(info => taskSetup.Setup(context, info));
        }

        if (container.GetService<IFrostingTaskTeardown>() is { } taskTeardown)
        {
            engine.RegisterTaskTeardownAction(info => taskTeardown.Teardown(context, info));
        }
    }

    private IEnumerable<Type> FindTasks()
    {
        // As Frosting: the entry assembly, and every assembly added to it.
        var assemblies = new[] { Assembly.GetEntryAssembly() ?? ContextType.Assembly }.Concat(_assemblies).Distinct().ToList();
        return assemblies.SelectMany(TaskCatalog.Discover);
    }

    private static void SetWorkingDirectory(ICakeEnvironment environment, string? path)
    {
        // Relative to where the build was started; Cake then makes it the process's directory.
        if (path is null)
        {
            return;
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new HostUsageException($"--working={path}: directory {full} does not exist");
        }

        environment.WorkingDirectory = new DirectoryPath(full);
    }

    private static int ReportError(ICakeLog log, Exception exception)
    {
        // Cake wraps errors from lifetimes and tasks; report the innermost one that says what happened.
        var chain = new List<Exception>();
        for (var e = exception; e is not null; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException : e.InnerException)
        {
            chain.Add(e);
        }

        var usage = chain.OfType<HostUsageException>().FirstOrDefault();
        var root = usage ?? (chain[0] is CakeReportException && chain.Count > 1 ? chain[1] : chain[0]);
        if (log.Verbosity >= Verbosity.Diagnostic)
        {
            log.Error("Error: {0}", exception);
        }
        else
        {
            // One line: the message says what failed and how to fix it.
            log.Error("Error: {0}", root.Message.ReplaceLineEndings(" "));
        }

        return usage is not null ? ExitUsage : ExitFailed;
    }
}
