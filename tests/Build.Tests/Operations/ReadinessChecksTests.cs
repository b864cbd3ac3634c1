using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Monitoring;
using Platform.Build.Operations;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Operations;

/// <summary>The readiness of the pipeline and of the monitoring baselines, on a copy of the repository: shipped, passing; broken, failing.</summary>
public sealed class ReadinessChecksTests : IDisposable
{
    private const string Workflow = ".github/workflows/platform.yml";
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", ".github", "terraform", "ansible", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private Outcome Check(Func<BuildContext, Outcome> check) => check(PlatformContext.Create(_repo.Root));

    [Fact]
    public void The_shipped_pipeline_and_baselines_pass()
    {
        var ci = Check(ReadinessChecks.CiPipelines);
        Assert.True(ci.Status == CheckStatus.Passed, ci.Detail);
        var baselines = Check(SloChecks.SloBaselines);
        Assert.True(baselines.Status == CheckStatus.Passed, baselines.Detail);
    }

    [Fact]
    public void A_prod_deploy_outside_the_protected_environment_or_a_missing_stage_fails()
    {
        var text = _repo.Read(Workflow);
        _repo.Write(Workflow, text.Replace("    environment: prod\n", string.Empty, StringComparison.Ordinal)
            .Replace("run: ./build.sh --target=Lint", "run: make lint", StringComparison.Ordinal));

        var outcome = Check(ReadinessChecks.CiPipelines);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("job deploy runs `./build.sh --target=DeployApp --env=prod --confirm=prod", outcome.Detail);
        Assert.Contains("outside the protected environment prod (environment: none)", outcome.Detail);
        Assert.Contains("no pipeline stage runs --target=Lint", outcome.Detail);
    }

    [Fact]
    public void A_pipeline_command_the_build_would_refuse_fails()
    {
        _repo.Edit(Workflow, "run: ./build.sh --target=Validate", "run: ./build.sh --target=Validate --no-cahce");

        Assert.Contains("unknown option --no-cahce: did you mean --no-cache?", Check(ReadinessChecks.CiPipelines).Detail);
    }

    [Fact]
    public void A_burn_rate_alert_lost_or_on_one_window_fails_the_baselines()
    {
        var slo = "kubernetes/monitoring/sso-slo.yaml";
        var text = _repo.Read(slo);
        Assert.Contains("slo: latency\n", text);
        _repo.Write(slo, text.Replace("slo: latency\n", "slo: speed\n", StringComparison.Ordinal));

        var outcome = Check(SloChecks.SloBaselines);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("no paging burn-rate alert for the latency SLO (labels slo: latency, severity: critical)", outcome.Detail);
        Assert.Contains("no ticket burn-rate alert for the latency SLO", outcome.Detail);
    }

    [Fact]
    public void A_burn_rate_alert_on_a_single_window_fails_the_baselines()
    {
        var slo = "kubernetes/monitoring/sso-slo.yaml";
        var text = _repo.Read(slo);
        var at = text.IndexOf("- alert: SsoAvailabilityFastBurn", StringComparison.Ordinal);
        var expr = text.IndexOf("expr:", at, StringComparison.Ordinal);
        var end = text.IndexOf("for:", expr, StringComparison.Ordinal);
        var indent = text[(text.LastIndexOf('\n', expr) + 1)..expr];
        _repo.Write(slo, text[..expr] + "expr: sso:slo_errors:ratio_rate1h > (14.4 * 0.001)\n" + indent + text[end..]);

        Assert.Contains("SsoAvailabilityFastBurn has one window", Check(SloChecks.SloBaselines).Detail);
    }

    [Fact]
    public void The_shipped_backup_sources_pass() => Assert.Empty(ReadinessChecks.BackupSources(PlatformContext.Create(_repo.Root)));

    [Theory]
    [InlineData("terraform/modules/backup/main.tf", "        Condition = { Bool = { \"aws:SecureTransport\" = \"false\" } }", "        # Condition = { Bool = { \"aws:SecureTransport\" = \"false\" } }", "does not deny requests without TLS")]
    [InlineData("terraform/bootstrap/main.tf", "    status = \"Enabled\"", "    # status = \"Enabled\"\n    status = \"Suspended\"", "the state buckets are not versioned")]
    [InlineData("ansible/playbooks/k8s-setup.yml", "  hosts: control_plane\n  roles:\n    - role: etcd-backup", "  hosts: workers\n  roles:\n    - role: etcd-backup", "does not apply the etcd-backup role to the control planes")]
    [InlineData("ansible/inventory/prod/terraform-inventory.py", "\"etcd_backup_bucket\", ", "", "ansible/inventory/prod/terraform-inventory.py does not pass etcd_backup_bucket")]
    public void A_backup_source_weakened_or_commented_out_fails(string file, string find, string replace, string finding)
    {
        var text = _repo.Read(file);
        Assert.Contains(find, text);
        File.Delete(_repo.Path(file)); // a copy of its own, never through a link
        _repo.Write(file, text.Replace(find, replace, StringComparison.Ordinal));

        Assert.Contains(ReadinessChecks.BackupSources(PlatformContext.Create(_repo.Root)), f => f.Contains(finding, StringComparison.Ordinal));
    }
}
