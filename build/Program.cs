using Platform.Build.Core.Hosting;
using Platform.Build.Frosting;

// The platform build: typed tasks mirroring specs/platform/tasks.md on the
// real Cake engine, hosted as any Cake.Frosting build is. build.sh sets
// PLATFORM_ROOT to the repository root and runs it from the caller's
// directory (so relative option paths work).
// Ctrl-C and SIGTERM stop the children too, the report says "interrupted", and the exit code is 128 + the signal.
Platform.Build.Tools.Interrupts.Install();
var run = new PlatformRun(args);
var host = run.Host().UseWorkingDirectory(Environment.GetEnvironmentVariable("PLATFORM_ROOT") ?? ".");
var exitCode = run.Run(host, Console.Out);
return Platform.Build.Tools.Interrupts.Interrupted ? 128 + Platform.Build.Tools.Interrupts.Signal : exitCode;
