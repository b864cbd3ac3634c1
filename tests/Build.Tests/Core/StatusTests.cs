using System.Xml.Linq;
using Xunit;
using static Platform.Build.Tests.Core.Probe;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>Honest statuses, safe actions and the run modes, on the probe platform.</summary>
public sealed class StatusTests : IDisposable
{
    private readonly TempRepo _repo = NewRepo();
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public StatusTests() => Reset();

    public void Dispose()
    {
        Reset();
        _env.Dispose();
        _repo.Dispose();
    }

    private string Kubeconfig()
    {
        _repo.Write("kubeconfig", "apiVersion: v1\nkind: Config\n");
        return _repo.Path("kubeconfig");
    }

    private void FakeAws() => _env.Set("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE").Set("AWS_SECRET_ACCESS_KEY", "example-secret");

    private ReportRow Row(string task, string item) => ReportFile.Row(_repo.Root, task, item);

    [Fact]
    public void Validate_changes_nothing_and_runs_no_live_check_even_with_credentials_and_a_cluster()
    {
        FakeAws();
        var result = Run(_repo, "--target=Validate", $"--kubeconfig={Kubeconfig()}");

        Assert.DoesNotContain("action", Calls);
        Assert.DoesNotContain("live-aws", Calls);
        Assert.DoesNotContain("live-cluster", Calls);
        Assert.Equal("Skipped", Row("ProbeTask", "Action: change the probe").Status);
        Assert.Contains("Validate changes nothing", Row("ProbeTask", "Action: change the probe").Detail);
        Assert.Equal("Skipped", Row("ProbeTask", "Live AWS item").Status);
        Assert.Contains("runs offline checks only", Row("ProbeTask", "Live AWS item").Detail);
        Assert.Equal(1, result.ExitCode); // the unwired item
    }

    [Fact]
    public void Every_status_is_reported_for_what_it_is()
    {
        Run(_repo, "--target=Validate");

        Assert.Equal("Passed", Row("ProbeTask", "Lint item").Status);
        Assert.Equal("Passed", Row("ProbeTask", "Offline item").Status);
        Assert.Equal("Manual", Row("ProbeTask", "Manual item").Status);
        Assert.Equal("look at it", Row("ProbeTask", "Manual item").Detail);
        var unwired = Row("ProbeTask", "Unwired item");
        Assert.Equal("Failed", unwired.Status);
        Assert.StartsWith("not implemented yet", unwired.Detail);
    }

    [Fact]
    public void A_live_run_without_credentials_skips_actions_and_live_checks_with_the_reason()
    {
        Run(_repo, "--target=ProbeTask");

        Assert.Equal(["lint", "offline"], Calls);
        Assert.Contains("needs AWS credentials", Row("ProbeTask", "Action: change the probe").Detail);
        Assert.Contains("needs AWS credentials", Row("ProbeTask", "Live AWS item").Detail);
        Assert.Equal("needs a cluster: pass --kubeconfig=PATH", Row("ProbeTask", "Live cluster item").Detail);
    }

    [Fact]
    public void A_live_run_with_credentials_acts_then_runs_the_live_checks()
    {
        FakeAws();
        Run(_repo, "--target=ProbeTask", $"--kubeconfig={Kubeconfig()}");

        Assert.Equal(["action", "lint", "offline", "live-aws", "live-cluster"], Calls);
        Assert.Equal("Passed", Row("ProbeTask", "Action: change the probe").Status);
        Assert.Equal("Passed", Row("ProbeTask", "Live cluster item").Status);
    }

    [Fact]
    public void Prod_is_refused_before_anything_runs_without_confirm()
    {
        FakeAws();
        var result = Run(_repo, "--target=ProbeTask", "--env=prod");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Calls);
        Assert.Contains("refusing to change prod without --confirm=prod: ProbeTask would change it", result.Output);
    }

    [Fact]
    public void Prod_runs_with_confirm()
    {
        FakeAws();
        Run(_repo, "--target=ProbeTask", "--env=prod", "--confirm=prod");

        Assert.Contains("action", Calls);
    }

    [Fact]
    public void Validate_of_prod_needs_no_confirm_because_it_changes_nothing()
    {
        Run(_repo, "--target=Validate", "--env=prod");

        Assert.Contains("offline", Calls);
        Assert.DoesNotContain("action", Calls);
    }

    [Fact]
    public void Lint_runs_and_reports_only_lint_checks()
    {
        Run(_repo, "--target=Lint");

        Assert.Equal(["lint"], Calls);
        Assert.DoesNotContain(ReportFile.Rows(_repo.Root), r => r.Task == "ProbeTask" && r.Item != "Lint item");
    }

    [Fact]
    public void A_failed_check_fails_its_task_and_offline_runs_go_on_to_report_everything()
    {
        FailOffline = true;
        var result = Run(_repo, "--target=Validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("known", Calls); // the dependent still ran
        Assert.Matches(@"ProbeTask\s+\S+\s+Failed", result.Output);
        Assert.Contains("offline broke", Row("ProbeTask", "Offline item").Detail);
    }

    [Fact]
    public void A_run_that_can_change_things_stops_at_the_first_failed_task()
    {
        FailOffline = true;
        FakeAws();
        var result = Run(_repo, "--target=DriftingTask");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("known", Calls);
    }

    [Fact]
    public void A_check_bound_to_text_the_spec_lacks_fails_as_drift()
    {
        Drift = true;
        Run(_repo, "--target=Validate");

        var drift = Row("DriftingTask", "Item the spec lacks");
        Assert.Equal("Failed", drift.Status);
        Assert.Contains("does not list for this task", drift.Detail);
        Assert.Equal("Failed", Row("Spec", "Typed tasks match specs/platform/tasks.md").Status);
    }

    [Fact]
    public void The_spec_row_passes_when_code_and_spec_agree()
    {
        Run(_repo, "--target=Validate");

        Assert.Equal("Passed", Row("Spec", "Typed tasks match specs/platform/tasks.md").Status);
    }

    [Fact]
    public void JUnit_counts_failures_and_reports_manual_as_skipped_never_passed()
    {
        Run(_repo, "--target=Validate");

        var junit = XDocument.Load(_repo.Path("artifacts/reports/junit.xml"));
        var suites = junit.Root!;
        var rows = ReportFile.Rows(_repo.Root);
        Assert.Equal(rows.Count, (int)suites.Attribute("tests")!);
        Assert.Equal(rows.Count(r => r.Status == "Failed"), (int)suites.Attribute("failures")!);
        var manual = suites.Descendants("testcase").Single(c => (string)c.Attribute("name")! == "Manual item");
        Assert.Equal("Manual: look at it", (string)manual.Element("skipped")!.Attribute("message")!);
        var unwired = suites.Descendants("testcase").Single(c => (string)c.Attribute("name")! == "Unwired item");
        Assert.NotNull(unwired.Element("failure"));
    }

    [Fact]
    public void Markdown_summary_lists_missing_and_manual_items_and_goes_to_the_GitHub_step_summary()
    {
        var stepSummary = _repo.Path("step-summary.md");
        File.WriteAllText(stepSummary, "earlier step\n");
        _env.Set("GITHUB_STEP_SUMMARY", stepSummary);
        Run(_repo, "--target=Validate");

        var markdown = _repo.Read("artifacts/reports/summary.md");
        Assert.Contains("## Not implemented yet", markdown);
        Assert.Contains("- 9.1 ProbeTask: Unwired item", markdown);
        Assert.Contains("- 9.1 ProbeTask: Manual item - look at it", markdown);
        var appended = File.ReadAllText(stepSummary);
        Assert.StartsWith("earlier step\n", appended);
        Assert.Contains(markdown.Trim(), appended);
    }

    [Fact]
    public void The_console_shows_each_failure_with_its_evidence_and_the_totals()
    {
        var result = Run(_repo, "--target=Validate");

        Assert.Matches(@"FAIL .*: Unwired item\s+not implemented yet", result.Output);
        Assert.Contains("passed, 1 failed (1 not implemented yet)", result.Output);
    }

    [Fact]
    public void An_unreadable_spec_is_a_one_line_error_and_nothing_runs()
    {
        File.Delete(_repo.Path("specs/platform/tasks.md"));
        var result = Run(_repo, "--target=Validate");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(Calls);
        Assert.Contains("Error: specs/platform/tasks.md: cannot read the task list", result.Output);
        Assert.Contains("git checkout -- specs/platform/tasks.md", result.Output);
    }

    [Fact]
    public void Lint_changes_nothing_even_with_credentials_and_a_cluster()
    {
        FakeAws();
        Run(_repo, "--target=Lint", $"--kubeconfig={Kubeconfig()}");

        Assert.Equal(["lint"], Calls);
    }

    [Fact]
    public void A_run_whose_action_needs_only_the_hosts_file_stops_at_a_failure_too()
    {
        FailOffline = true;
        _repo.Write("terraform/outputs/dev-terraform-outputs.json", "{}");
        var result = Run(_repo, "--target=HostsTask");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("hosts-action", Calls);
    }

    [Fact]
    public void Without_the_hosts_file_the_same_run_goes_on_and_skips_the_action()
    {
        FailOffline = true;
        Run(_repo, "--target=HostsTask");

        Assert.DoesNotContain("hosts-action", Calls);
        Assert.StartsWith("needs the hosts of dev", Row("HostsTask", "Action: act on the hosts").Detail);
    }

    [Fact]
    public void A_task_that_crashes_fails_the_run_with_a_row_that_says_why()
    {
        var result = Run(_repo, "--target=CrashingTask");

        Assert.Equal(1, result.ExitCode);
        var row = Row("CrashingTask", "The task ran to the end");
        Assert.Equal("Failed", row.Status);
        Assert.Contains("crashed outside the checks", row.Detail);
    }

    [Fact]
    public void A_refused_run_writes_a_report_that_says_so()
    {
        FakeAws();
        var result = Run(_repo, "--target=ProbeTask", "--env=prod");

        Assert.Equal(2, result.ExitCode);
        var row = Row("Run", "The build ran to the end");
        Assert.Equal("Failed", row.Status);
        Assert.StartsWith("refusing to change prod", row.Detail);
    }
}
