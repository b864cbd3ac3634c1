using Platform.Build.Frosting;
using Xunit;
using Xunit.Abstractions;

namespace Platform.Build.Tests.Frosting;

public class HostProbeTests(ITestOutputHelper output)
{
    public sealed class A : FrostingTask { public override void Run(Cake.Core.ICakeContext c) => Log.Add("A"); }
    [IsDependentOn(typeof(A))] [TaskDescription("bee")] public sealed class B : FrostingTask { public override void Run(Cake.Core.ICakeContext c) => throw new InvalidOperationException("B broke"); }
    [IsDependentOn(typeof(B))] public sealed class C : FrostingTask { public override bool ShouldRun(Cake.Core.ICakeContext c) => false; public override string SkippedMessage => "no creds here"; }
    public static List<string> Log = [];

    [Fact]
    public void Probe()
    {
        foreach (var a in new[] { new[] { "--target=C" }, new[] { "--target=C", "--tree" }, ["--dryrun", "-t", "C"], ["--description"], ["-t", "Cc"], ["--version"] })
        {
            var w = new StringWriter();
            var rc = new CakeHost().UseTasks(typeof(A), typeof(B), typeof(C)).UseOutput(w).Run(a);
            output.WriteLine($"=== {string.Join(' ', a)} rc={rc}\n{w}");
        }
    }
}
