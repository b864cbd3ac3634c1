using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Scripting;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>
/// The entry point of a Frosting build:
/// <c>return new CakeHost().UseContext&lt;BuildContext&gt;().Run(args);</c>
/// Registers Cake's own services (Cake.Cli's default modules and
/// diagnostics), the build's tasks and whatever the build configures, then
/// runs the targets through Cake.Cli's script hosts (a normal run,
/// --dryrun, --tree, --description).
/// </summary>
public sealed class CakeHost
{
    private readonly ServiceCollection _services = new();
    private readonly List<Assembly> _assemblies = [];

    public CakeHost()
    {
        // The engine, the context and its parts, the NuGet and dotnet-tool
        // package installers, the log, the consoles and the report printer.
        Cake.Cli.ServiceCollectionExtensions.UseCakeDefaultModules(_services);
        Cake.Cli.ServiceCollectionExtensions.AddCakeDiagnostics(_services);
        _services.AddSingleton(Configuration);
        _services.AddSingleton<IFrostingContext, FrostingContext>();
        _services.AddSingleton<IToolInstaller, FrostingToolInstaller>();
    }

    public static CakeHost Create() => new();

    /// <summary>Registers services now: tasks, lifetimes and the context get them by constructor injection; a later registration of a service wins.</summary>
    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_services);
        return this;
    }

    /// <summary>Another assembly to take tasks from, besides the entry assembly.</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _assemblies.Add(assembly);
        return this;
    }

    /// <summary>Runs the command line: 0 on success, the failure's <see cref="CakeException.ExitCode"/> or 1, -1 for a command line that does not parse.</summary>
    public int Run(IEnumerable<string> args)
    {
        var services = new ServiceCollection();
        foreach (var descriptor in _services)
        {
            ((ICollection<ServiceDescriptor>)services).Add(descriptor);
        }

        HostOptions options;
        try
        {
            options = HostOptions.Parse(args);
        }
        catch (CommandLineException error)
        {
            using var parsing = services.BuildServiceProvider();
            parsing.GetRequiredService<IConsole>().WriteErrorLine($"Error: {error.Message}");
            return -1;
        }

        AddTasks(services);
        services.AddSingleton<ICakeArguments>(new CakeArguments(options.Arguments
            .SelectMany(pair => pair.Value.Select(value => (pair.Key, value)))
            .ToLookup(p => p.Key, p => p.value, StringComparer.OrdinalIgnoreCase)));
        using var provider = services.BuildServiceProvider();
        var log = provider.GetRequiredService<ICakeLog>();
        try
        {
            if (options.Help || options.Version || options.Info)
            {
                HostInfo.Print(provider.GetRequiredService<IConsole>(), options, ContextType(services).Assembly);
                return 0;
            }

            log.Verbosity = options.Verbosity;
            SetWorkingDirectory(provider, options.WorkingDirectory);
            RunTargetsAsync(provider, options, log).GetAwaiter().GetResult();
            return 0;
        }
        catch (Exception exception)
        {
            // Cake.Cli's own logger: "Error: message" (the whole exception at diagnostic).
            return log.LogException(exception is TargetInvocationException { InnerException: { } inner } ? inner : exception);
        }
    }

    private static async Task RunTargetsAsync(IServiceProvider provider, HostOptions options, ICakeLog log)
    {
        var context = provider.GetRequiredService<IFrostingContext>();
        var engine = provider.GetRequiredService<ICakeEngine>();
        TaskRegistrar.Register(engine, provider.GetServices<IFrostingTask>(), context, log);
        RegisterLifetimes(provider, engine, context);

        // As Frosting: after the context and the tasks are made, before any target runs.
        InstallTools(provider, log);

        // As Frosting chooses: --dryrun, then --tree, then --description.
        IScriptHost host = options switch
        {
            { DryRun: true } => new DryRunScriptHost(engine, context, log),
            { Tree: true } => new TreeScriptHost(engine, context, provider.GetRequiredService<IConsole>()),
            { Description: true } => new DescriptionScriptHost(engine, context, provider.GetRequiredService<Spectre.Console.IAnsiConsole>()),
            _ => new BuildScriptHost(engine, provider.GetRequiredService<IExecutionStrategy>(), context,
                provider.GetRequiredService<ICakeReportPrinter>(), provider.GetRequiredService<ICakeConfiguration>(), log),
        };

        if (options.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        // Several targets share one graph: a common dependency runs once (cake-build/cake #4324).
        host.Settings.UseUnifiedDependencyGraphForMultipleTargets(true);
        if (options.Targets.Count == 1)
        {
            await host.RunTargetAsync(options.Targets[0]).ConfigureAwait(false);
        }
        else
        {
            await host.RunTargetsAsync(options.Targets).ConfigureAwait(false);
        }
    }

    private static void RegisterLifetimes(IServiceProvider provider, ICakeEngine engine, IFrostingContext context)
    {
        // One of each, the last registered.
        if (provider.GetService<IFrostingSetup>() is { } setup)
        {
            engine.RegisterSetupAction(info => setup.Setup(context, info));
        }

        if (provider.GetService<IFrostingTeardown>() is { } teardown)
        {
            engine.RegisterTeardownAction(info => teardown.Teardown(context, info));
        }

        if (provider.GetService<IFrostingTaskSetup>() is { } taskSetup)
        {
            engine.RegisterTaskSetupAction(info => taskSetup.Setup(context, info));
        }

        if (provider.GetService<IFrostingTaskTeardown>() is { } taskTeardown)
        {
            engine.RegisterTaskTeardownAction(info => taskTeardown.Teardown(context, info));
        }
    }

    /// <summary>The public task classes of the entry assembly and of each added one, unless registered already.</summary>
    private void AddTasks(ServiceCollection services)
    {
        var registered = services.Where(d => d.ServiceType == typeof(IFrostingTask)).Select(d => d.ImplementationType).ToHashSet();
        var assemblies = new[] { Assembly.GetEntryAssembly() }.Concat(_assemblies).OfType<Assembly>().Distinct();
        foreach (var task in assemblies.SelectMany(TaskRegistrar.Discover).Where(registered.Add))
        {
            services.AddSingleton(typeof(IFrostingTask), task);
        }
    }

    private static Type ContextType(IServiceCollection services) =>
        services.Last(d => d.ServiceType == typeof(IFrostingContext)).ImplementationType ?? typeof(FrostingContext);

    /// <summary>--working, else UseWorkingDirectory, relative to where the build started; Cake makes it the process's directory.</summary>
    private static void SetWorkingDirectory(IServiceProvider provider, string? option)
    {
        var environment = provider.GetRequiredService<ICakeEnvironment>();
        DirectoryPath? path = option is not null ? new DirectoryPath(option) : provider.GetService<WorkingDirectory>()?.Path;
        if (path is null)
        {
            return;
        }

        var full = path.MakeAbsolute(environment);
        if (!provider.GetRequiredService<IFileSystem>().Exist(full))
        {
            throw new FrostingException($"The working directory '{full.FullPath}' does not exist.");
        }

        environment.WorkingDirectory = full;
    }

    private static void InstallTools(IServiceProvider provider, ICakeLog log)
    {
        var tools = provider.GetServices<PackageReference>().ToList();
        if (tools.Count == 0)
        {
            return;
        }

        log.Verbose("Installing tools...");
        var installer = provider.GetRequiredService<IToolInstaller>();
        foreach (var tool in tools)
        {
            installer.Install(tool);
        }
    }

    /// <summary>
    /// Cake's configuration as Cake reads it (cake.config, CAKE_ variables),
    /// under the build's UseCakeSetting values and then the command line's
    /// arguments (--paths_tools=DIR), as Frosting passes them on.
    /// </summary>
    private static ICakeConfiguration Configuration(IServiceProvider provider)
    {
        var environment = provider.GetRequiredService<ICakeEnvironment>();
        var settings = provider.GetServices<CakeSetting>()
            .GroupBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in provider.GetRequiredService<ICakeArguments>().GetArguments())
        {
            if (values.Count > 0)
            {
                settings[key] = values.Last();
            }
        }

        return new CakeConfigurationProvider(provider.GetRequiredService<IFileSystem>(), environment)
            .CreateConfiguration(environment.WorkingDirectory, settings);
    }
}
