using Cake.Core.Composition;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>Cake.Frosting's registration methods on the host: each registers services (see <see cref="ServiceCollectionExtensions"/>).</summary>
public static class CakeHostExtensions
{
    public static CakeHost UseContext<TContext>(this CakeHost host) where TContext : class, IFrostingContext =>
        host.ConfigureServices(s => s.UseContext<TContext>());

    public static CakeHost UseLifetime<TLifetime>(this CakeHost host) where TLifetime : class, IFrostingLifetime =>
        host.ConfigureServices(s => s.UseLifetime<TLifetime>());

    public static CakeHost UseSetup<TSetup>(this CakeHost host) where TSetup : class, IFrostingSetup =>
        host.ConfigureServices(s => s.UseSetup<TSetup>());

    public static CakeHost UseTeardown<TTeardown>(this CakeHost host) where TTeardown : class, IFrostingTeardown =>
        host.ConfigureServices(s => s.UseTeardown<TTeardown>());

    public static CakeHost UseTaskLifetime<TLifetime>(this CakeHost host) where TLifetime : class, IFrostingTaskLifetime =>
        host.ConfigureServices(s => s.UseTaskLifetime<TLifetime>());

    public static CakeHost UseTaskSetup<TSetup>(this CakeHost host) where TSetup : class, IFrostingTaskSetup =>
        host.ConfigureServices(s => s.UseTaskSetup<TSetup>());

    public static CakeHost UseTaskTeardown<TTeardown>(this CakeHost host) where TTeardown : class, IFrostingTaskTeardown =>
        host.ConfigureServices(s => s.UseTaskTeardown<TTeardown>());

    /// <summary>Creates the startup now and lets it configure the services.</summary>
    public static CakeHost UseStartup<TStartup>(this CakeHost host) where TStartup : IFrostingStartup, new() =>
        host.ConfigureServices(s => new TStartup().Configure(s));

    /// <summary>Registers what a Cake module registers.</summary>
    public static CakeHost UseModule<TModule>(this CakeHost host) where TModule : ICakeModule, new() =>
        host.ConfigureServices(s => s.UseModule<TModule>());

    /// <summary>A package installer for InstallTool's URI schemes.</summary>
    public static CakeHost UsePackageInstaller<TInstaller>(this CakeHost host) where TInstaller : class, IPackageInstaller =>
        host.ConfigureServices(s => s.UsePackageInstaller<TInstaller>());

    /// <summary>A tool to install before the targets run, e.g. <c>nuget:?package=GitVersion.Tool&amp;version=6.0.0</c>.</summary>
    public static CakeHost InstallTool(this CakeHost host, Uri uri) =>
        host.ConfigureServices(s => s.InstallTool(uri));

    /// <summary>The older name of <see cref="InstallTool"/>.</summary>
    public static CakeHost UseTool(this CakeHost host, Uri uri) =>
        host.ConfigureServices(s => s.UseTool(uri));

    /// <summary>Where Cake installs and looks for tools (the <c>Paths_Tools</c> setting).</summary>
    public static CakeHost SetToolPath(this CakeHost host, DirectoryPath path) =>
        host.ConfigureServices(s => s.SetToolPath(path));

    /// <summary>A Cake configuration value (as in cake.config), e.g. <c>NuGet_Source</c>.</summary>
    public static CakeHost UseCakeSetting(this CakeHost host, string key, string value) =>
        host.ConfigureServices(s => s.UseCakeSetting(key, value));

    /// <summary>The directory the build runs in, relative to where it started; <c>--working</c> overrides it.</summary>
    public static CakeHost UseWorkingDirectory(this CakeHost host, DirectoryPath path) =>
        host.ConfigureServices(s => s.UseWorkingDirectory(path));
}

/// <summary>The same registrations on an <see cref="IServiceCollection"/>, for ConfigureServices and startups.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The build's context; the last one registered is used.</summary>
    public static IServiceCollection UseContext<TContext>(this IServiceCollection services) where TContext : class, IFrostingContext =>
        services.AddSingleton<IFrostingContext, TContext>();

    /// <summary>Setup and teardown in one class, one instance for both.</summary>
    public static IServiceCollection UseLifetime<TLifetime>(this IServiceCollection services) where TLifetime : class, IFrostingLifetime
    {
        services.AddSingleton<TLifetime>();
        services.AddSingleton<IFrostingLifetime>(p => p.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingSetup>(p => p.GetRequiredService<TLifetime>());
        return services.AddSingleton<IFrostingTeardown>(p => p.GetRequiredService<TLifetime>());
    }

    public static IServiceCollection UseSetup<TSetup>(this IServiceCollection services) where TSetup : class, IFrostingSetup =>
        services.AddSingleton<IFrostingSetup, TSetup>();

    public static IServiceCollection UseTeardown<TTeardown>(this IServiceCollection services) where TTeardown : class, IFrostingTeardown =>
        services.AddSingleton<IFrostingTeardown, TTeardown>();

    public static IServiceCollection UseTaskLifetime<TLifetime>(this IServiceCollection services) where TLifetime : class, IFrostingTaskLifetime
    {
        services.AddSingleton<TLifetime>();
        services.AddSingleton<IFrostingTaskLifetime>(p => p.GetRequiredService<TLifetime>());
        services.AddSingleton<IFrostingTaskSetup>(p => p.GetRequiredService<TLifetime>());
        return services.AddSingleton<IFrostingTaskTeardown>(p => p.GetRequiredService<TLifetime>());
    }

    public static IServiceCollection UseTaskSetup<TSetup>(this IServiceCollection services) where TSetup : class, IFrostingTaskSetup =>
        services.AddSingleton<IFrostingTaskSetup, TSetup>();

    public static IServiceCollection UseTaskTeardown<TTeardown>(this IServiceCollection services) where TTeardown : class, IFrostingTaskTeardown =>
        services.AddSingleton<IFrostingTaskTeardown, TTeardown>();

    /// <summary>A Cake module's registrations, through Cake.Cli's own adapter.</summary>
    public static IServiceCollection UseModule<TModule>(this IServiceCollection services) where TModule : ICakeModule, new() =>
        Cake.Cli.ServiceCollectionExtensions.UseModule<TModule>(services);

    public static IServiceCollection UsePackageInstaller<TInstaller>(this IServiceCollection services) where TInstaller : class, IPackageInstaller =>
        services.AddSingleton<IPackageInstaller, TInstaller>();

    /// <summary>A tool to install before the targets run.</summary>
    public static IServiceCollection InstallTool(this IServiceCollection services, Uri uri) =>
        services.AddSingleton(new PackageReference(uri.OriginalString));

    /// <summary>The older name of <see cref="InstallTool"/>.</summary>
    public static IServiceCollection UseTool(this IServiceCollection services, Uri uri) => services.InstallTool(uri);

    public static IServiceCollection SetToolPath(this IServiceCollection services, DirectoryPath path) =>
        services.UseCakeSetting("Paths_Tools", path.FullPath);

    /// <summary>A Cake configuration value; a later one of the same key wins.</summary>
    public static IServiceCollection UseCakeSetting(this IServiceCollection services, string key, string value) =>
        services.AddSingleton(new CakeSetting(key, value));

    public static IServiceCollection UseWorkingDirectory(this IServiceCollection services, DirectoryPath path) =>
        services.AddSingleton(new WorkingDirectory(path));
}

/// <summary>One Cake configuration value registered by the build (UseCakeSetting).</summary>
internal sealed record CakeSetting(string Key, string Value);

/// <summary>The working directory the build registered (UseWorkingDirectory).</summary>
internal sealed record WorkingDirectory(DirectoryPath Path);
