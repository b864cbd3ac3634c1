using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>Cake.Frosting's registration methods on the host: each registers services (see <see cref="FrostingServices"/>).</summary>
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

    /// <summary>Registers what a Cake module registers (<see cref="Cake.Core.Composition.ICakeModule"/>).</summary>
    public static CakeHost UseModule<TModule>(this CakeHost host) where TModule : Cake.Core.Composition.ICakeModule, new() =>
        host.ConfigureServices(s => s.UseModule<TModule>());

    /// <summary>The directory the build runs in; <c>--working</c> overrides it.</summary>
    public static CakeHost UseWorkingDirectory(this CakeHost host, Cake.Core.IO.DirectoryPath path) =>
        host.UseWorkingDirectory(path.FullPath);

    /// <summary>A Cake configuration value (as in cake.config), e.g. <c>Paths_Tools</c>.</summary>
    public static CakeHost UseCakeSetting(this CakeHost host, string key, string value) =>
        host.ConfigureServices(s => s.UseCakeSetting(key, value));

    /// <summary>Where Cake looks for and installs tools (the <c>Paths_Tools</c> setting).</summary>
    public static CakeHost SetToolPath(this CakeHost host, Cake.Core.IO.DirectoryPath path) =>
        host.UseCakeSetting("Paths_Tools", path.FullPath);

    /// <summary>Creates the startup now and lets it configure the services (as Cake.Frosting).</summary>
    public static CakeHost UseStartup<TStartup>(this CakeHost host) where TStartup : IFrostingStartup, new() =>
        host.ConfigureServices(s => new TStartup().Configure(s));
}

/// <summary>The same registrations on an <see cref="IServiceCollection"/>, for ConfigureServices and startups.</summary>
public static class FrostingServices
{
    public static IServiceCollection UseModule<TModule>(this IServiceCollection services) where TModule : Cake.Core.Composition.ICakeModule, new()
    {
        var registrar = new ModuleRegistrar(services);
        new TModule().Register(registrar);
        registrar.Apply();
        return services;
    }

    /// <summary>A Cake configuration value; later ones win over earlier ones of the same key.</summary>
    public static IServiceCollection UseCakeSetting(this IServiceCollection services, string key, string value) =>
        services.AddSingleton(new CakeSetting(key, value));

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
}

/// <summary>One Cake configuration value registered by the build (UseCakeSetting).</summary>
public sealed record CakeSetting(string Key, string Value);
