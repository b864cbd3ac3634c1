using Platform.Build.Core.Context;
using Platform.Build.Core.Lifetime;
using Platform.Build.Frosting;

// The platform build: typed tasks mirroring specs/platform/tasks.md on the
// real Cake engine. build.sh sets PLATFORM_ROOT to the repository root and
// runs it from the caller's directory (so relative option paths work).
// Ctrl-C and SIGTERM stop the children too, the report says "interrupted", and the exit code is 128 + the signal.
Platform.Build.Tools.Interrupts.Install();
var exitCode = new CakeHost()
    .UseWorkingDirectory(Environment.GetEnvironmentVariable("PLATFORM_ROOT") ?? ".")
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseHelp(BuildOptions.Help)
    .Run(args);
return Platform.Build.Tools.Interrupts.Interrupted ? 128 + Platform.Build.Tools.Interrupts.Signal : exitCode;
