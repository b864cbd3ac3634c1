using System.Text;
using YamlDotNet.RepresentationModel;
using Platform.Build.Ansible;
using Platform.Build.Apps;
using Platform.Build.ArgoCd;
using Platform.Build.Core.Audit;
using Rule = Platform.Build.Core.Audit.Rule;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Workloads;
using Platform.Build.Tenancy;
using Platform.Build.Terraform;

namespace Platform.Build.Audit;

/// <summary>
/// The Audit target's check: every rule set over what it reads - both
/// environments' offline plans, the rendered tenancy and applications, the
/// cluster configuration the control-plane role renders, the Ansible roles
/// and the CI workflows - with the waivers of audit/waivers.yaml applied.
/// Writes audit.sarif and an exhibit of every finding, waived ones included.
/// </summary>
public static class AuditChecks
{
    public const string SarifFile = "audit.sarif";

    public const string ExhibitTitle = "Audit findings";

    /// <summary>Every rule set, bound to this repository's inputs; or the outcome that says why an input could not be read.</summary>
    public static (IReadOnlyList<RuleSet> Sets, Outcome? Error) RuleSets(BuildContext context, SourceIndex sources, DateOnly today)
    {
        var sets = new List<RuleSet>();
        Outcome? error = null;
        var planned = TerraformChecks.WithPlans(context, plans =>
        {
            var byEnvironment = plans.Select(p => (p.Environment, p.Plan!)).ToList();
            sets.Add(PlanRules.For(byEnvironment, sources));
            var catalogPath = context.Paths.Combine(TenantCatalog.RelativePath);
            var catalog = TenantCatalog.Load(catalogPath, TenantCatalog.RelativePath);
            var guardrails = Rendered(context, TenantLayout.Guardrails, ref error);
            var tenancy = new List<TenancyRender>();
            var capacity = new List<(string, PlanDocument, IReadOnlyList<Manifest>)>();
            foreach (var cluster in TenantLayout.Clusters)
            {
                var namespaces = Rendered(context, TenantLayout.Namespaces(cluster), ref error);
                tenancy.Add(new TenancyRender(cluster, catalog, namespaces, Rendered(context, TenantLayout.NetworkPolicies(cluster), ref error),
                    Rendered(context, TenantLayout.Projects(cluster), ref error), guardrails));
                if (byEnvironment.FirstOrDefault(p => p.Environment == cluster) is { Item2: { } plan })
                {
                    capacity.Add((cluster, plan, namespaces));
                }
            }

            sets.Add(TenancyRules.For(tenancy, sources));
            var table = CapacityTable.Parse(File.ReadAllText(context.Paths.Combine(CapacityTable.File)));
            sets.Add(CapacityRules.For(table, capacity, today, sources));
            return Outcome.Pass("planned");
        });
        if (planned.Status != CheckStatus.Passed)
        {
            return ([], planned);
        }

        var app = TenantApplication.Sso;
        var renders = TenantApplication.Environments.Select(env =>
            new WorkloadRender(env, app.Overlay(env), Rendered(context, app.Overlay(env), ref error), env == "prod" ? 2 : 1, env == "prod")).ToList();
        sets.Add(WorkloadRules.For(renders, sources));

        // Each environment's configuration as its control planes get it: the role's defaults, then that inventory's group_vars.
        var tasks = AnsibleRules.Load(context.Paths.Root);
        var (workerText, workerAt) = WorkerKubelet(tasks);
        var configs = new List<ClusterConfig>();
        foreach (var env in TenantLayout.Clusters)
        {
            (IReadOnlyList<YamlMappingNode> Documents, Outcome? Error) Render(string template, Dictionary<string, object> extra)
            {
                var (documents, _, failure) = TemplateChecks.Render(context, "k8s-control-plane", template, extra, env, "control_plane");
                return (documents, failure);
            }

            var kubeadm = Render("kubeadm-config.yaml.j2", []);
            // The key only fills the template; it is written nowhere but the 0600 files under artifacts/.
            var encryption = Render("encryption-config.yaml.j2", new() { ["k8s_encryption_key"] = "offline-audit-render" });
            var audit = Render("audit-policy.yaml.j2", []);
            error ??= kubeadm.Error ?? encryption.Error ?? audit.Error;
            configs.Add(new ClusterConfig(env, kubeadm.Documents, encryption.Documents.FirstOrDefault(), audit.Documents.FirstOrDefault(),
                ClusterConfigRules.Flags(workerText), workerAt));
        }

        sets.Add(ClusterConfigRules.For(configs, sources));
        sets.Add(AnsibleRules.For(tasks));
        sets.Add(ArgoCdRules.For(context.Paths.Root, TenantLayout.Clusters, sources));
        sets.Add(WorkflowRules.For(context.Paths.Root));
        return (sets, error);
    }

    /// <summary>What the worker role writes to /etc/default/kubelet (its KUBELET_EXTRA_ARGS), and where.</summary>
    public static (string Text, SourceLocation? At) WorkerKubelet(IReadOnlyList<AnsibleTask> tasks)
    {
        var task = tasks.FirstOrDefault(t => t.File.StartsWith("ansible/roles/k8s-worker/", StringComparison.Ordinal) && t.Args is YamlMappingNode a
            && a.Children.TryGetValue(new YamlScalarNode("dest"), out var d) && (d as YamlScalarNode)?.Value == "/etc/default/kubelet");
        var text = task?.Args is YamlMappingNode args && args.Children.TryGetValue(new YamlScalarNode("content"), out var c) ? (c as YamlScalarNode)?.Value ?? string.Empty : string.Empty;
        return (text, task is null ? null : new SourceLocation(task.File, task.Line));
    }

    public static Outcome Run(BuildContext context)
    {
        // A SARIF of an earlier run must not outlive an audit that stops before writing its own.
        File.Delete(Path.Combine(context.Paths.Reports, SarifFile));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        IReadOnlyList<Waiver> waivers;
        try
        {
            var path = context.Paths.Combine(Waivers.File);
            waivers = Waivers.Parse(File.Exists(path) ? File.ReadAllText(path) : null);
        }
        catch (WaiverException e)
        {
            return Outcome.Fail(e.Message);
        }

        var sources = new SourceIndex(context.Paths.Root);
        var (sets, error) = RuleSets(context, sources, today);
        if (error is not null)
        {
            return error;
        }

        var report = AuditEngine.Run(sets, waivers, today);
        var version = typeof(AuditChecks).Assembly.GetName().Version?.ToString() ?? "1.0.0";
        var sarif = SarifReport.Build(report, version, r => Fallback(r, sources));
        var schema = context.Paths.Combine(SarifSchema.File);
        var invalid = File.Exists(schema) ? SarifSchema.Problems(File.ReadAllText(schema), sarif) : [$"{SarifSchema.File} does not exist"];
        if (invalid.Count > 0)
        {
            return Outcome.Fail($"{SarifFile} does not validate against {SarifSchema.File}: {string.Join("; ", invalid)}");
        }

        context.Ledger.AddExhibit(new Exhibit("Audit SARIF", sarif) { File = SarifFile });
        context.Ledger.AddExhibit(new Exhibit(ExhibitTitle, Table(report)));
        return Verdict(report);
    }

    /// <summary>Passed with no open finding and no waiver problem; every waived finding is named either way.</summary>
    public static Outcome Verdict(AuditReport report)
    {
        // Validated against the published schema before this: the summary says so.
        var open = report.Open.ToList();
        var waived = report.Waived.Select(f => $"{f.Rule.Id} {f.Finding.Object} (waived until {f.Waiver!.Expires:yyyy-MM-dd}: {f.Waiver.Reason})").ToList();
        var waivedText = waived.Count == 0 ? "none waived" : $"{waived.Count} waived: {string.Join("; ", waived)}";
        var problems = report.WaiverProblems.Concat(open.Select(f => $"{f.Rule.Severity} {f.Rule.Id} {f.Finding.Object}: {f.Finding.Message} ({f.Finding.Location})")).ToList();
        var summary = $"{report.Rules.Count} rules, {open.Count} open findings, {waivedText}; {SarifFile} (valid SARIF 2.1.0) in artifacts/reports";
        return problems.Count == 0
            ? Outcome.Pass(summary)
            : Outcome.Fail($"{string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $"; and {problems.Count - 10} more" : string.Empty)} ({summary})");
    }

    private static SourceLocation Fallback(Rule rule, SourceIndex sources) => rule.Reads switch
    {
        AuditSource.Plan => sources.In("terraform/modules/platform/main.tf"),
        AuditSource.ClusterConfig => sources.In(ClusterConfigRules.Template),
        AuditSource.Ansible => sources.In("ansible/playbooks/k8s-setup.yml"),
        AuditSource.Workflow => sources.In(".github/workflows/platform.yml"),
        AuditSource.Capacity => sources.In(CapacityTable.File),
        _ => sources.In(TenantCatalog.RelativePath),
    };

    private static string Table(AuditReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"{report.Rules.Count} rules; {report.Open.Count()} open, {report.Waived.Count()} waived (audit/waivers.yaml).");
        text.AppendLine();
        text.AppendLine("| Severity | Rule | Object | Finding | Where | Waiver |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var f in report.Findings)
        {
            var waiver = f.Waiver is { } w ? $"until {w.Expires:yyyy-MM-dd} ({w.Owner}): {w.Reason}" : "open";
            text.AppendLine($"| {f.Rule.Severity} | {f.Rule.Id} | {Cell(f.Finding.Object)} | {Cell(f.Finding.Message)} | {f.Finding.Location} | {Cell(waiver)} |");
        }

        foreach (var problem in report.WaiverProblems)
        {
            text.AppendLine($"| - | waiver | - | {Cell(problem)} | - | - |");
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    private static IReadOnlyList<Manifest> Rendered(BuildContext context, string folder, ref Outcome? error)
    {
        var render = context.Renders.Render(folder);
        if (!render.Succeeded)
        {
            error ??= render.Failure;
        }

        return render.Manifests;
    }
}
