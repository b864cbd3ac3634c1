using Xunit;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using Platform.Build.Ansible;
using Platform.Build.Apps;
using Platform.Build.ArgoCd;
using Platform.Build.Audit;
using Platform.Build.Core.Audit;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Workloads;
using Platform.Build.Tenancy;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;
using Platform.Build.Tests.Terraform;
using Rule = Platform.Build.Core.Audit.Rule;

namespace Platform.Build.Tests.Audit;

/// <summary>
/// What the Audit reads, rendered once from the shipped repository (the
/// offline plans from the Terraform fixture; the control-plane templates by
/// Ansible in a copy of the tracked files), shared by the audit tests.
/// </summary>
public sealed class AuditSources : IDisposable
{
    private readonly TempRepo _render = TempRepo.WithTracked("specs", "ansible", "terraform");

    public AuditSources()
    {
        var context = PlatformContext.Create(_render.Root);
        foreach (var env in TenantLayout.Clusters)
        {
            Rendered[(env, "kubeadm")] = Render(context, env, "kubeadm-config.yaml.j2", []);
            Rendered[(env, "encryption")] = Render(context, env, "encryption-config.yaml.j2", new() { ["k8s_encryption_key"] = "test-render" });
            Rendered[(env, "audit")] = Render(context, env, "audit-policy.yaml.j2", []);
        }
    }

    /// <summary>Each environment's rendered control-plane files (with its group_vars), as text.</summary>
    public Dictionary<(string Env, string File), string> Rendered { get; } = [];

    private string Render(Platform.Build.Core.Context.BuildContext context, string env, string template, Dictionary<string, object> extra)
    {
        var (_, _, error) = TemplateChecks.Render(context, "k8s-control-plane", template, extra, env, "control_plane");
        Assert.Null(error);
        return File.ReadAllText(_render.Path($"artifacts/ansible/render/{env}-{template[..^3]}"));
    }

    public void Dispose() => _render.Dispose();
}

/// <summary>
/// One audit's inputs, fresh and mutable: an attack changes one of them the
/// way a hostile tenant or a careless operator would, then the rule set of
/// that source runs on it.
/// </summary>
public sealed class AuditModel(TerraformFixture terraform, AuditSources sources)
{
    public SourceIndex Index { get; } = new(Repo.Root);

    public Dictionary<string, JsonNode> Plans { get; } = terraform.Plans.ToDictionary(p => p.Key, p => JsonNode.Parse(p.Value)!);

    /// <summary>dev's rendered configuration (what the attacks change); prod's as shipped.</summary>
    public List<YamlMappingNode> Kubeadm { get; } = Yaml(sources.Rendered[("dev", "kubeadm")]);

    public YamlMappingNode Encryption { get; } = Yaml(sources.Rendered[("dev", "encryption")])[0];

    public YamlMappingNode AuditPolicy { get; } = Yaml(sources.Rendered[("dev", "audit")])[0];

    private readonly AuditSources _sources = sources;

    /// <summary>The workers' /etc/default/kubelet line.</summary>
    public string WorkerKubelet { get; set; } = AuditChecks.WorkerKubelet(AnsibleRules.Load(Repo.Root)).Text;

    public Dictionary<string, string> AnsibleFiles { get; } = AnsibleRules.Load(Repo.Root).Select(t => t.File).Distinct().ToDictionary(f => f, f => File.ReadAllText(Repo.Path(f)));

    public Dictionary<string, YamlMappingNode> ArgoValues { get; } = TenantLayout.Clusters.ToDictionary(e => e, e => ArgoCdRules.Merged(Repo.Root, e));

    public string Workflow { get; set; } = File.ReadAllText(Repo.Path(".github/workflows/platform.yml"));

    public string Capacity { get; set; } = File.ReadAllText(Repo.Path(CapacityTable.File));

    public DateOnly Today { get; set; } = new(2026, 12, 2);

    private readonly Lazy<Platform.Build.Core.Context.BuildContext> _context = new(() => PlatformContext.Create(Repo.Root));

    private readonly Dictionary<string, List<Manifest>> _renders = [];

    /// <summary>A fresh render of a repository folder: its objects may be changed.</summary>
    public List<Manifest> Render(string folder)
    {
        if (!_renders.TryGetValue(folder, out var manifests))
        {
            var render = _context.Value.Renders.Render(folder);
            Assert.True(render.Succeeded, render.Error);
            // Each model has its own context, so its renders (and their objects) are its own.
            manifests = [.. render.Manifests];
            _renders[folder] = manifests;
        }

        return manifests;
    }

    public List<Manifest> Workload(string env) => Render(TenantApplication.Sso.Overlay(env));

    public List<Manifest> Namespaces => Render(TenantLayout.Namespaces("dev"));

    public List<Manifest> Projects => Render(TenantLayout.Projects("dev"));

    public List<Manifest> Guardrails => Render(TenantLayout.Guardrails);

    public List<Manifest> NetworkPolicies => Render(TenantLayout.NetworkPolicies("dev"));

    public PlanDocument Plan(string env) => PlanDocument.Parse(Plans[env].ToJsonString(), $"{env} plan");

    private IEnumerable<(IReadOnlyList<Rule> Rules, Func<RuleSet> Make)> Factories() =>
    [
        (PlanRules.Rules, () => PlanRules.For([.. Plans.Keys.Select(e => (e, Plan(e)))], Index)),
        (WorkloadRules.Rules, () => WorkloadRules.For([.. TenantApplication.Environments.Select(e => new WorkloadRender(e, TenantApplication.Sso.Overlay(e), Workload(e), e == "prod" ? 2 : 1, e == "prod"))], Index)),
        (TenancyRules.Rules, () => TenancyRules.For([new TenancyRender("dev", TenantCatalog.Load(Repo.Path(TenantCatalog.RelativePath), TenantCatalog.RelativePath), Namespaces, NetworkPolicies, Projects, Guardrails)], Index)),
        (ClusterConfigRules.Rules, () => ClusterConfigRules.For(
        [
            new ClusterConfig("dev", Kubeadm, Encryption, AuditPolicy, ClusterConfigRules.Flags(WorkerKubelet), new SourceLocation("ansible/roles/k8s-worker/tasks/main.yml", 9)),
            new ClusterConfig("prod", Yaml(_sources.Rendered[("prod", "kubeadm")]), Yaml(_sources.Rendered[("prod", "encryption")])[0], Yaml(_sources.Rendered[("prod", "audit")])[0],
                ClusterConfigRules.Flags(WorkerKubelet), new SourceLocation("ansible/roles/k8s-worker/tasks/main.yml", 9)),
        ], Index)),
        (AnsibleRules.Rules, () => AnsibleRules.For([.. AnsibleFiles.SelectMany(f => AnsibleRules.Parse(f.Value, f.Key))])),
        (ArgoCdRules.Rules, () => new RuleSet("argocd", ArgoCdRules.Rules, () => ArgoValues.SelectMany(v => ArgoCdRules.Check(v.Value, v.Key, Index)))),
        (WorkflowRules.Rules, () => new RuleSet("workflows", WorkflowRules.Rules, () => WorkflowRules.Check(Workflow, ".github/workflows/platform.yml"))),
        (CapacityRules.Rules, () => CapacityRules.For(CapacityTable.Parse(Capacity), [("dev", Plan("dev"), Namespaces), ("prod", Plan("prod"), Render(TenantLayout.Namespaces("prod")))], Today, Index)),
    ];

    /// <summary>Every rule (no inputs read).</summary>
    public static IReadOnlyList<Rule> Rules =>
        [.. PlanRules.Rules, .. WorkloadRules.Rules, .. TenancyRules.Rules, .. ClusterConfigRules.Rules, .. ArgoCdRules.Rules, .. AnsibleRules.Rules, .. WorkflowRules.Rules, .. CapacityRules.Rules];

    /// <summary>Every rule set over these inputs (the tenancy of the dev cluster; the capacity of both).</summary>
    public IReadOnlyList<RuleSet> Sets() => [.. Factories().Select(f => f.Make())];

    /// <summary>The findings of the one rule set that holds <paramref name="rule"/>, for that rule.</summary>
    public IReadOnlyList<Finding> Findings(string rule) =>
        [.. Factories().Single(f => f.Rules.Any(r => r.Id == rule)).Make().Check().Where(f => f.RuleId == rule)];

    public static List<YamlMappingNode> Yaml(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return [.. yaml.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }
}
