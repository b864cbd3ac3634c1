using Platform.Build.Context;
using Platform.Build.Frosting;
using Platform.Build.Lifetime;

// The platform build: typed tasks mirroring specs/platform/tasks.md on the
// real Cake engine. build.sh sets PLATFORM_ROOT to the repository root and
// runs it from the caller's directory (so relative option paths work).
return new CakeHost()
    .UseWorkingDirectory(Environment.GetEnvironmentVariable("PLATFORM_ROOT") ?? ".")
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseHelp(BuildOptions.Help)
    .Run(args);
