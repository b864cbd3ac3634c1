using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Operations;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Operations;

/// <summary>
/// The post-implementation documents on a copy of the repository: the shipped
/// ones pass, and each way a careless edit breaks them fails its item.
/// </summary>
public sealed class DocsChecksTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", "ansible", "build", "docs", "RUNBOOK.md", "README.md", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private Outcome Check(Func<BuildContext, Outcome> check) => check(PlatformContext.Create(_repo.Root));

    [Fact]
    public void The_shipped_documents_pass()
    {
        foreach (var check in new Func<BuildContext, Outcome>[] { DocsChecks.RunbookProcedures, DocsChecks.AlertLinks, DocsChecks.TroubleshootingSteps, DocsChecks.TroubleshootingKeyed, DocsChecks.AccessProcedures })
        {
            var outcome = Check(check);
            Assert.True(outcome.Status == CheckStatus.Passed, outcome.Detail);
        }
    }

    [Fact]
    public void A_runbook_missing_an_operation_or_with_a_refused_command_fails()
    {
        var text = _repo.Read("RUNBOOK.md");
        _repo.Write("RUNBOOK.md", text.Replace("## Replace a node", "## Nodes", StringComparison.Ordinal)
            .Replace("./build.sh --target=UpgradeCluster --env=prod --confirm=prod --to=1.33.2", "./build.sh --target=UpgradeCluster --env=prod --to=1.33.2", StringComparison.Ordinal));

        var outcome = Check(DocsChecks.RunbookProcedures);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("RUNBOOK.md: no section for 'Replace a node'", outcome.Detail);
        Assert.Contains("`./build.sh --target=UpgradeCluster --env=prod --to=1.33.2`: refusing to change prod without --confirm=prod: UpgradeCluster would change it", outcome.Detail);
    }

    [Fact]
    public void An_alert_whose_link_lands_nowhere_fails_and_so_does_a_section_for_no_alert()
    {
        _repo.Edit("RUNBOOK.md", "### SsoHighLatency\n", "### SsoSlow\n");

        var outcome = Check(DocsChecks.AlertLinks);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("SsoHighLatency: runbook_url's #ssohighlatency is no heading of RUNBOOK.md (add '### SsoHighLatency')", outcome.Detail);
        Assert.Contains("'SsoSlow' is under Alerts but no rule has that alert", outcome.Detail);
    }

    [Fact]
    public void An_alert_linking_somewhere_else_fails()
    {
        var alerts = "kubernetes/monitoring/sso-alerts.yaml";
        var text = _repo.Read(alerts);
        var first = text.IndexOf("RUNBOOK.md#ssodown", StringComparison.Ordinal);
        Assert.True(first > 0, "the shipped SsoDown alert links its RUNBOOK.md section");
        _repo.Write(alerts, text.Replace("blob/main/RUNBOOK.md#ssodown", "blob/main/kubernetes/monitoring/README.md#ssodown", StringComparison.Ordinal));

        Assert.Contains("SsoDown: runbook_url 'https://github.com/example-org/platform/blob/main/kubernetes/monitoring/README.md#ssodown' is not", Check(DocsChecks.AlertLinks).Detail);
    }

    [Fact]
    public void An_alert_linking_another_alerts_section_fails()
    {
        _repo.Edit("kubernetes/monitoring/sso-alerts.yaml", "blob/main/RUNBOOK.md#ssodown\"", "blob/main/RUNBOOK.md#ssohighlatency\"");

        Assert.Contains("SsoDown: runbook_url goes to #ssohighlatency, another alert's section: use https://github.com/example-org/platform/blob/main/RUNBOOK.md#ssodown", Check(DocsChecks.AlertLinks).Detail);
    }

    [Fact]
    public void A_troubleshooting_key_found_only_in_a_comment_fails()
    {
        _repo.Edit("docs/troubleshooting.md", "> not found on PATH: install it", "> The spec owns the list: the class restates nothing of it.");

        Assert.Contains("the build prints no message like 'The spec owns the list", Check(DocsChecks.TroubleshootingKeyed).Detail);
    }

    [Fact]
    public void A_troubleshooting_key_the_build_never_prints_fails()
    {
        _repo.Edit("docs/troubleshooting.md", "> not found on PATH: install it", "> the tool is missing, install it");

        var outcome = Check(DocsChecks.TroubleshootingKeyed);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("the build prints no message like 'the tool is missing, install it'", outcome.Detail);
    }

    [Fact]
    public void A_troubleshooting_entry_without_a_fix_fails()
    {
        _repo.Edit("docs/troubleshooting.md", "**Fix**: read the log, free the disk", "Read the log, free the disk");

        Assert.Contains("'The drill's etcd' needs a **Cause** and a **Fix**", Check(DocsChecks.TroubleshootingSteps).Detail);
    }

    [Fact]
    public void An_access_guide_with_a_pasted_key_or_without_break_glass_fails()
    {
        var text = _repo.Read("docs/access.md");
        _repo.Write("docs/access.md", text.Replace("## Break-glass", "## Emergencies", StringComparison.Ordinal) + "\naws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\n");

        var outcome = Check(DocsChecks.AccessProcedures);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("docs/access.md: no section for Break-glass", outcome.Detail);
        Assert.Contains("'AKIAIOSFODNN…' looks like a credential", outcome.Detail);
    }

    [Fact]
    public void A_document_naming_a_playbook_that_does_not_exist_fails()
    {
        _repo.Write("RUNBOOK.md", _repo.Read("RUNBOOK.md") + "\nBy hand: `ansible-playbook -i inventory/dev/terraform-inventory.py playbooks/etcd-backup.yml`.\n");

        Assert.Contains("RUNBOOK.md: ansible/playbooks/etcd-backup.yml does not exist", Check(DocsChecks.RunbookProcedures).Detail);
    }

    [Fact]
    public void Anchors_are_GitHubs()
    {
        var anchors = DocsChecks.Anchors("# Runbook\n## Roll back the cluster\n### SsoDown\n```\n# not a heading\n```\n### SsoDown\n## Back up etcd (`etcd-backup.timer`)\n");

        Assert.True(anchors.SetEquals(["runbook", "roll-back-the-cluster", "ssodown", "ssodown-1", "back-up-etcd-etcd-backuptimer"]), string.Join(", ", anchors));
    }
}
