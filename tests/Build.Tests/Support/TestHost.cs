using Microsoft.Extensions.DependencyInjection;
using Platform.Build.Core.Hosting;
using Platform.Build.Frosting;

namespace Platform.Build.Tests.Support;

/// <summary>
/// What tests add to a host, through Cake.Frosting's public ConfigureServices
/// only (as Frosting's own tests replace services): the consoles over a
/// writer, and an exact set of task classes.
/// </summary>
public static class TestHost
{
    /// <summary>Everything the host writes (Cake's console and Spectre's) goes to <paramref name="writer"/>, without colours: the platform's plain consoles.</summary>
    public static CakeHost WriteTo(this CakeHost host, TextWriter writer) =>
        host.ConfigureServices(services =>
        {
            services.AddSingleton(Consoles.PlainCake(writer, writer));
            services.AddSingleton(Consoles.PlainAnsi(writer, 200));
        });

    /// <summary>Registers exactly these task classes (the test host's entry assembly has none).</summary>
    public static CakeHost WithTasks(this CakeHost host, params Type[] tasks) =>
        host.ConfigureServices(services =>
        {
            foreach (var task in tasks)
            {
                services.AddSingleton(typeof(IFrostingTask), task);
            }
        });
}
