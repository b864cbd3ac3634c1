using System.Reflection;
using System.Runtime.InteropServices;

namespace Platform.Build.Frosting;

/// <summary>--help, --version and --info.</summary>
internal static class HostInfo
{
    public static void Print(Cake.Core.IConsole output, HostOptions options, Assembly build)
    {
        if (options.Version)
        {
            output.WriteLine(Version(build));
            return;
        }

        if (options.Info)
        {
            output.WriteLine(Version(build));
            output.WriteLine($"Cake.Core:  {typeof(Cake.Core.CakeEngine).Assembly.GetName().Version}");
            output.WriteLine($"Runtime:    {RuntimeInformation.FrameworkDescription}");
            output.WriteLine($"OS:         {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
            return;
        }

        output.WriteLine($"Usage: {build.GetName().Name} [--target=NAME ...] [options] [--name=value ...]");
        output.WriteLine(string.Empty);
        output.WriteLine("  -t, --target=NAME       task to run; repeat for several targets (default: Default)");
        output.WriteLine("  -v, --verbosity=LEVEL   quiet, minimal, normal, verbose or diagnostic");
        output.WriteLine("      --dryrun            list the tasks that would run, in order; run nothing");
        output.WriteLine("      --tree              show the dependency tree of the targets");
        output.WriteLine("      --description       list every task with its description");
        output.WriteLine("  -e, --exclusive         run the targets only, not their dependencies");
        output.WriteLine("  -w, --working=DIR       directory to run in");
        output.WriteLine("      --version, --info   versions of this build, Cake.Core and the runtime");
        output.WriteLine("  any other --name=value  reaches the build context's arguments");
    }

    private static string Version(Assembly build)
    {
        var version = build.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? build.GetName().Version?.ToString() ?? "0.0.0";
        return $"{build.GetName().Name} {version.Split('+')[0]} (Cake.Core {typeof(Cake.Core.CakeEngine).Assembly.GetName().Version})";
    }
}
