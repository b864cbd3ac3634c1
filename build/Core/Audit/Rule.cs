namespace Platform.Build.Core.Audit;

/// <summary>How bad a finding is; SARIF maps High and Critical to error, Medium to warning, Low to note.</summary>
public enum Severity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>What a rule reads.</summary>
public enum AuditSource
{
    Plan,
    Manifests,
    ClusterConfig,
    Ansible,
    Workflow,
    Capacity,
}

/// <summary>
/// One audit rule: a stable id (waivers and SARIF name it), what it checks,
/// what it reads, how to fix a finding, and the ids of the same check in the
/// tools people know (checkov CKV_*, trivy AVD-*, kube-bench CIS 1.12 item,
/// kubectl-mtb benchmark, kube-score, Polaris), where one matches.
/// </summary>
public sealed record Rule(string Id, string Title, Severity Severity, AuditSource Reads, string Remediation, params string[] References);

/// <summary>A file of the repository and a 1-based line in it.</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>
/// A rule broken by one object. <see cref="Object"/> names it the way a
/// waiver does (a plan address with its environment, "Kind/name in ns", a
/// task's file and name); <see cref="Location"/> is where to fix it.
/// </summary>
public sealed record Finding(string RuleId, string Object, string Message, SourceLocation? Location = null)
{
    public override string ToString() => $"{Object}: {Message} [{RuleId}]";
}

/// <summary>A rule set: its rules, and a check over inputs already loaded (bound when the set is made).</summary>
public sealed record RuleSet(string Name, IReadOnlyList<Rule> Rules, Func<IEnumerable<Finding>> Check);
