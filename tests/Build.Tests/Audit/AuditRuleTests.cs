using Xunit;
using Platform.Build.Core.Audit;
using Platform.Build.Tests.Support;
using Platform.Build.Tests.Terraform;

namespace Platform.Build.Tests.Audit;

/// <summary>
/// Every audit rule is proven by attack: the shipped platform passes it (with
/// its reviewed waivers), and the change it guards against makes it fail,
/// with a finding that points at a real line of the repository.
/// </summary>
[Collection("terraform")]
public sealed class AuditRuleTests(TerraformFixture terraform, AuditSources sources) : IClassFixture<AuditSources>
{
    private AuditModel Model() => new(terraform, sources);

    public static TheoryData<string> RuleIds => [.. SourceAttacks.All().Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void There_are_at_least_120_rules_each_with_an_attack_and_a_fix()
    {
        var rules = AuditModel.Rules;

        Assert.True(rules.Count >= 120, $"{rules.Count} rules");
        Assert.Equal(rules.Count, rules.Select(r => r.Id).Distinct().Count());
        Assert.Equal(rules.Select(r => r.Id).Order(StringComparer.Ordinal), SourceAttacks.All().Keys.Order(StringComparer.Ordinal));
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Title) || string.IsNullOrWhiteSpace(r.Remediation), r.Id));
    }

    [Fact]
    public void The_kube_bench_and_mtb_rules_name_the_items_they_match()
    {
        var references = AuditModel.Rules.SelectMany(r => r.References).ToList();

        Assert.True(references.Count(r => r.StartsWith("kube-bench:", StringComparison.Ordinal)) >= 55);
        Assert.True(references.Count(r => r.StartsWith("mtb:", StringComparison.Ordinal)) >= 15);
        Assert.True(references.Count(r => r.StartsWith("CKV", StringComparison.Ordinal)) >= 40);
    }

    [Fact]
    public void The_shipped_platform_has_no_open_finding_with_its_waivers()
    {
        var model = Model();
        var waivers = Waivers.Parse(File.ReadAllText(Repo.Path(Waivers.File)));

        var report = AuditEngine.Run(model.Sets(), waivers, model.Today);

        Assert.Empty(report.WaiverProblems);
        Assert.Empty(report.Open.Select(f => f.Finding.ToString()));
        Assert.Equal(waivers.Count, report.Waived.Count());
    }

    public static TheoryData<string, string> Variants
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (rule, variant, _) in VariantAttacks.All)
            {
                data.Add(rule, variant);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Each_rule_fails_on_the_other_ways_of_its_attack(string rule, string variant)
    {
        var before = Model().Findings(rule).Select(f => f.ToString()).ToHashSet();
        var attacked = Model();

        VariantAttacks.All.Single(v => v.Rule == rule && v.Variant == variant).Attack(attacked);

        Assert.Contains(attacked.Findings(rule), f => !before.Contains(f.ToString()));
    }

    public static TheoryData<string> KubeletFlagItems => [.. Platform.Build.Ansible.ClusterConfigRules.Items.Where(i => i.Component == "kubelet" && i.Flag is not null).Select(i => i.Id)];

    [Theory]
    [MemberData(nameof(KubeletFlagItems))]
    public void Each_kubelet_item_also_catches_its_flag_on_the_command_line(string rule)
    {
        var item = Platform.Build.Ansible.ClusterConfigRules.Items.Single(i => i.Id == rule);
        var attacked = Model();

        // The config file stays as shipped; the flag in kubeletExtraArgs overrides it.
        SourceAttacks.SetKubeletFlag(attacked, item.Flag!, item.Attack);

        var finding = Assert.Single(attacked.Findings(rule));
        Assert.Equal(Platform.Build.Ansible.ClusterConfigRules.Template, finding.Location!.File);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Each_rule_fails_on_its_attack(string rule)
    {
        var before = Model().Findings(rule).Select(f => f.ToString()).ToHashSet();
        var attacked = Model();

        SourceAttacks.All()[rule](attacked);
        var found = attacked.Findings(rule).Where(f => !before.Contains(f.ToString())).ToList();

        Assert.NotEmpty(found);
        foreach (var finding in found.Where(f => f.Location is not null))
        {
            // An attack on a task file adds lines to the model's copy, not to the repository's.
            var lines = (attacked.AnsibleFiles.TryGetValue(finding.Location!.File, out var text) ? text : File.ReadAllText(Repo.Path(finding.Location.File))).Split('\n');
            Assert.InRange(finding.Location.Line, 1, lines.Length);
        }
    }
}
