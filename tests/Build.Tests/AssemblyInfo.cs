// Cake's environment sets the process working directory (--working), and the
// host tests run builds in-process: run test classes one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

// The tests drive bash scripts and Unix tools (terraform, ansible); they run on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
