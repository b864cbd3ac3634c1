using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>Reports are written whole and never through a link; a place they cannot be written fails the run with one line.</summary>
public sealed class ReportSafetyTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes");

    public void Dispose() => _repo.Dispose();

    [Fact]
    public void A_symlink_planted_at_a_report_is_replaced_and_its_target_left_alone()
    {
        var victim = _repo.Path("victim.txt");
        File.WriteAllText(victim, "precious");
        Directory.CreateDirectory(_repo.Path("artifacts/reports"));
        File.CreateSymbolicLink(_repo.Path("artifacts/reports/summary.md"), victim);

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=Tenants");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("precious", File.ReadAllText(victim));
        var report = new FileInfo(_repo.Path("artifacts/reports/summary.md"));
        Assert.Null(report.LinkTarget);
        Assert.Contains("Tenant manifests rendered", File.ReadAllText(report.FullName));
        Assert.Empty(Directory.GetFiles(_repo.Path("artifacts/reports"), "*.tmp"));
    }

    [Fact]
    public void A_report_folder_that_cannot_be_made_fails_the_run_saying_so()
    {
        Directory.CreateDirectory(_repo.Path("artifacts"));
        File.WriteAllText(_repo.Path("artifacts/reports"), "a file where the reports folder belongs");

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=Tenants");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot create {_repo.Path("artifacts/reports")}", run.Output);
        Assert.Contains("make", run.Output);
    }
}
