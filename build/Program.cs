using Platform.Build.Context;
using Platform.Build.Frosting;
using Platform.Build.Lifetime;

// The platform build: typed tasks mirroring specs/platform/tasks.md on the
// real Cake engine. build.sh runs this from the repository root.
return new CakeHost()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseHelp(BuildOptions.Help)
    .Run(args);
