namespace Platform.Build.Core.Audit;

/// <summary>A finding and the waiver that covers it, if one does.</summary>
public sealed record AuditedFinding(Rule Rule, Finding Finding, Waiver? Waiver)
{
    public bool Waived => Waiver is not null;
}

/// <summary>
/// One audit: every rule, every finding with its waiver, and what is wrong
/// with the waivers themselves (expired, naming no rule, covering nothing).
/// </summary>
public sealed record AuditReport(IReadOnlyList<Rule> Rules, IReadOnlyList<AuditedFinding> Findings, IReadOnlyList<string> WaiverProblems)
{
    public IEnumerable<AuditedFinding> Open => Findings.Where(f => !f.Waived);

    public IEnumerable<AuditedFinding> Waived => Findings.Where(f => f.Waived);

    /// <summary>Passed only with no open finding and no waiver problem.</summary>
    public bool Clean => !Open.Any() && WaiverProblems.Count == 0;
}

/// <summary>Runs the rule sets and applies the waivers.</summary>
public static class AuditEngine
{
    public static AuditReport Run(IReadOnlyList<RuleSet> sets, IReadOnlyList<Waiver> waivers, DateOnly today)
    {
        var rules = sets.SelectMany(s => s.Rules).ToList();
        var duplicate = rules.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"rule id {duplicate.Key} is defined twice");
        }

        var byId = rules.ToDictionary(r => r.Id);
        var findings = new List<AuditedFinding>();
        foreach (var set in sets)
        {
            foreach (var finding in set.Check().Distinct())
            {
                // A rule set reporting a rule it does not declare is a bug in the set, not a finding to waive.
                var rule = set.Rules.FirstOrDefault(r => r.Id == finding.RuleId)
                    ?? throw new InvalidOperationException($"rule set {set.Name} reported {finding.RuleId}, which it does not declare");
                // An expired waiver covers nothing: its findings are open again (and the waiver is named below).
                findings.Add(new AuditedFinding(rule, finding, waivers.FirstOrDefault(w => !w.ExpiredOn(today) && w.Covers(finding))));
            }
        }

        var problems = new List<string>();
        foreach (var waiver in waivers)
        {
            if (!byId.ContainsKey(waiver.Rule))
            {
                problems.Add($"{waiver.Location}: field 'rule' is {waiver.Rule}, which is no audit rule: name one of `./build.sh --target=Audit` rules (audit/README.md)");
            }
            else if (waiver.ExpiredOn(today))
            {
                problems.Add($"{waiver.Location}: the waiver of {waiver.Rule} for {waiver.Object} expired on {waiver.Expires:yyyy-MM-dd}: fix the finding, or review the waiver and set a new expiry");
            }
            else if (waiver.Expires > today.AddYears(1))
            {
                problems.Add($"{waiver.Location}: field 'expires' is {waiver.Expires:yyyy-MM-dd}, more than a year ahead: a waiver is reviewed at least yearly; set an expiry by {today.AddYears(1):yyyy-MM-dd}");
            }
            else if (waiver.Object.EndsWith('*') && byId[waiver.Rule].Severity >= Severity.High)
            {
                problems.Add($"{waiver.Location}: field 'object' is '{waiver.Object}': a {byId[waiver.Rule].Severity} rule is waived for one named object at a time");
            }
            else if (!findings.Any(f => f.Waiver == waiver))
            {
                problems.Add($"{waiver.Location}: the waiver of {waiver.Rule} for {waiver.Object} covers no finding: remove it");
            }
        }

        var ordered = findings
            .OrderByDescending(f => f.Rule.Severity)
            .ThenBy(f => f.Rule.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.Object, StringComparer.Ordinal)
            .ToList();
        return new AuditReport(rules, ordered, problems);
    }
}
