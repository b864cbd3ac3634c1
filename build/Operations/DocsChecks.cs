using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Monitoring;
using Platform.Build.Tenancy;

namespace Platform.Build.Operations;

/// <summary>
/// The post-implementation documents, checked as a reader would use them:
/// RUNBOOK.md has every operation and every alert, each build command in it
/// and in the guides is one the build accepts, each alert's runbook_url lands
/// on its section, the troubleshooting guide is keyed by messages the build
/// really prints, and the access guide covers every way in.
/// </summary>
public static partial class DocsChecks
{
    public const string Runbook = "RUNBOOK.md";
    public const string Troubleshooting = "docs/troubleshooting.md";
    public const string Access = "docs/access.md";

    /// <summary>The operations RUNBOOK.md must give, as words its headings contain.</summary>
    public static readonly IReadOnlyList<string> Operations =
    [
        "Deploy", "Roll back the infrastructure", "Roll back the cluster", "Roll back the application",
        "Onboard a tenant", "Offboard a tenant", "Rotate credentials", "Upgrade Kubernetes",
        "Back up etcd", "Restore etcd", "Replace a node", "Renew the control-plane certificates",
    ];

    /// <summary>The ways in docs/access.md must cover.</summary>
    public static readonly IReadOnlyList<string> AccessPaths = ["SSM", "SSH", "kubeconfig", "Argo CD SSO", "Break-glass"];

    /// <summary>"Document operational procedures in RUNBOOK.md": every operation, each with its command and what to check after, every command valid.</summary>
    public static Outcome RunbookProcedures(BuildContext context)
    {
        if (Read(context, Runbook) is not { } text)
        {
            return Outcome.Fail($"{Runbook} is missing: write the runbook (every operation as a build command)");
        }

        var sections = Sections(text);
        var findings = new List<string>();
        foreach (var operation in Operations)
        {
            var section = sections.FirstOrDefault(s => s.Heading.Contains(operation, StringComparison.OrdinalIgnoreCase));
            if (section.Heading is null)
            {
                findings.Add($"{Runbook}: no section for '{operation}'");
                continue;
            }

            if (!section.Body.Contains("./build.sh", StringComparison.Ordinal))
            {
                findings.Add($"{Runbook}:{section.Line}: '{section.Heading}' gives no ./build.sh command");
            }

            if (!section.Body.Contains("Check afterwards", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add($"{Runbook}:{section.Line}: '{section.Heading}' does not say what to check afterwards ('Check afterwards:')");
            }
        }

        findings.AddRange(CommandProblems(context, Runbook, text));
        var commands = BuildCommands.In(Runbook, text).Count;
        return Outcome.FromFindings(findings, $"{Runbook}: {Operations.Count} operations, {commands} build commands, each a real target with options the build accepts");
    }

    /// <summary>Every alert's runbook_url is RUNBOOK.md's section for it, and every alert section names a real alert.</summary>
    public static Outcome AlertLinks(BuildContext context)
    {
        if (Read(context, Runbook) is not { } text)
        {
            return Outcome.Fail($"{Runbook} is missing: the alerts' runbook_url values have nowhere to land");
        }

        var anchors = Anchors(text);
        var repository = TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath).Platform.RepoUrl;
        var prefix = $"{(repository.EndsWith(".git", StringComparison.Ordinal) ? repository[..^4] : repository)}/blob/main/{Runbook}";
        var alerts = MonitoringChecks.Rules(context).Where(r => r.Rule.Alert is not null).ToList();
        var findings = new List<string>();
        foreach (var (file, rule) in alerts)
        {
            var url = rule.Annotations?.GetValueOrDefault("runbook_url") ?? string.Empty;
            // The alert's own section of this repository's runbook: not another alert's, not another repository's.
            var own = $"{prefix}#{rule.Alert!.ToLowerInvariant()}";
            var match = RunbookUrl().Match(url);
            if (!match.Success || !url.StartsWith(prefix + "#", StringComparison.Ordinal))
            {
                findings.Add($"{file}: {rule.Alert}: runbook_url '{url}' is not this repository's {Runbook} ({own})");
            }
            else if (url != own)
            {
                findings.Add($"{file}: {rule.Alert}: runbook_url goes to #{match.Groups["anchor"].Value}, another alert's section: use {own}");
            }
            else if (!anchors.Contains(match.Groups["anchor"].Value))
            {
                findings.Add($"{file}: {rule.Alert}: runbook_url's #{match.Groups["anchor"].Value} is no heading of {Runbook} (add '### {rule.Alert}')");
            }
        }

        var names = alerts.Select(a => a.Rule.Alert!).ToHashSet(StringComparer.Ordinal);
        var alertSection = Sections(text).SkipWhile(s => !s.Heading.Equals("Alerts", StringComparison.OrdinalIgnoreCase)).Skip(1).TakeWhile(s => s.Level > 2);
        findings.AddRange(alertSection.Where(s => s.Level == 3 && !names.Contains(s.Heading)).Select(s => $"{Runbook}:{s.Line}: '{s.Heading}' is under Alerts but no rule has that alert"));
        return Outcome.FromFindings(findings, $"{alerts.Count} alerts, each runbook_url on its {Runbook} section");
    }

    /// <summary>"Document troubleshooting steps": each entry has its cause and its fix, and every command in it is valid.</summary>
    public static Outcome TroubleshootingSteps(BuildContext context)
    {
        if (Read(context, Troubleshooting) is not { } text)
        {
            return Outcome.Fail($"{Troubleshooting} is missing: write the troubleshooting guide");
        }

        var entries = Entries(text);
        var findings = entries.Where(e => !e.Body.Contains("**Cause**", StringComparison.Ordinal) || !e.Body.Contains("**Fix**", StringComparison.Ordinal))
            .Select(e => $"{Troubleshooting}:{e.Line}: '{e.Heading}' needs a **Cause** and a **Fix**").ToList();
        findings.AddRange(CommandProblems(context, Troubleshooting, text));
        if (entries.Count == 0)
        {
            findings.Add($"{Troubleshooting}: no entries ('### ' headings with the message quoted below)");
        }

        return Outcome.FromFindings(findings, $"{Troubleshooting}: {entries.Count} entries, each with cause and fix; every build command valid");
    }

    /// <summary>"Create troubleshooting guide": each entry is keyed by a message the build prints (its literal parts are in build/'s source).</summary>
    public static Outcome TroubleshootingKeyed(BuildContext context)
    {
        if (Read(context, Troubleshooting) is not { } text)
        {
            return Outcome.Fail($"{Troubleshooting} is missing: write the troubleshooting guide");
        }

        var build = context.Paths.Combine("build");
        if (!Directory.Exists(build))
        {
            return Outcome.Fail("build/ is not in this checkout: the guide's keys are checked against the build's own sources");
        }

        // Code lines only: a comment that happens to hold the words is not a message the build prints.
        var sources = Directory.EnumerateFiles(build, "*.cs", SearchOption.AllDirectories).SelectMany(File.ReadLines)
            .Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && l.Contains('"', StringComparison.Ordinal)).ToList();
        var findings = new List<string>();
        var entries = Entries(text);
        foreach (var entry in entries)
        {
            if (entry.Message is null)
            {
                findings.Add($"{Troubleshooting}:{entry.Line}: '{entry.Heading}' quotes no message ('> the message as the build prints it')");
                continue;
            }

            // Placeholders (<env>, …) stand for the holes of an interpolated string; the rest must be on one source line.
            var pieces = Placeholder().Split(entry.Message).Select(p => p.Trim()).Where(p => p.Length >= 4).ToList();
            if (pieces.Count == 0 || !sources.Any(line => pieces.All(p => line.Contains(p, StringComparison.Ordinal))))
            {
                findings.Add($"{Troubleshooting}:{entry.Line}: the build prints no message like '{entry.Message}' (keys must be the build's own words)");
            }
        }

        return Outcome.FromFindings(findings, $"{Troubleshooting}: {entries.Count} entries, each keyed by a message in build/'s source");
    }

    /// <summary>"Document access procedures": SSM and SSH, kubeconfig, Argo CD SSO and break-glass, with valid commands and no secret in the text.</summary>
    public static Outcome AccessProcedures(BuildContext context)
    {
        if (Read(context, Access) is not { } text)
        {
            return Outcome.Fail($"{Access} is missing: write the access procedures");
        }

        var sections = Sections(text);
        var findings = AccessPaths.Where(p => !sections.Any(s => s.Heading.Contains(p, StringComparison.OrdinalIgnoreCase)))
            .Select(p => $"{Access}: no section for {p}").ToList();
        findings.AddRange(CommandProblems(context, Access, text));
        findings.AddRange(SecretLike().Matches(text).Select(m => $"{Access}: '{m.Value[..Math.Min(12, m.Value.Length)]}…' looks like a credential: procedures name where secrets live, never the secrets"));
        return Outcome.FromFindings(findings, $"{Access}: {string.Join(", ", AccessPaths)}; commands valid, no credentials in the text");
    }

    /// <summary>Build commands that would be refused, and playbooks that do not exist.</summary>
    public static IEnumerable<string> CommandProblems(BuildContext context, string file, string text)
    {
        foreach (var problem in BuildCommands.Problems(BuildCommands.CatalogOf(context), BuildCommands.In(file, text)))
        {
            yield return problem;
        }

        foreach (Match playbook in Playbook().Matches(text))
        {
            if (!File.Exists(context.Paths.Combine($"ansible/playbooks/{playbook.Groups[1].Value}")))
            {
                yield return $"{file}: ansible/playbooks/{playbook.Groups[1].Value} does not exist";
            }
        }
    }

    /// <summary>GitHub's anchors of a Markdown text's headings (lower case, punctuation dropped, spaces as hyphens, repeats numbered).</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in Sections(markdown))
        {
            var slug = new string([.. section.Heading.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');
            var anchor = slug;
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    /// <summary>The headings of a Markdown text (outside code blocks), each with its level, line and body (up to the next heading of its level or above).</summary>
    public static IReadOnlyList<(string Heading, int Level, int Line, string Body)> Sections(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var headings = new List<(string Heading, int Level, int Index)>();
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }

            if (!fenced && Heading().Match(lines[i]) is { Success: true } heading)
            {
                headings.Add((heading.Groups["text"].Value.Trim().Trim('`'), heading.Groups["hashes"].Length, i));
            }
        }

        return [.. headings.Select((h, n) =>
        {
            var next = headings.Skip(n + 1).FirstOrDefault(o => o.Level <= h.Level);
            var stop = next.Heading is null ? lines.Length : next.Index;
            return (h.Heading, h.Level, h.Index + 1, string.Join('\n', lines[(h.Index + 1)..stop]));
        })];
    }

    private static List<(string Heading, int Line, string? Message, string Body)> Entries(string text) =>
        [.. Sections(text).Where(s => s.Level == 3)
            .Select(s => (s.Heading, s.Line, Quote().Match(s.Body) is { Success: true } q ? q.Groups[1].Value.Trim().Trim('`') : null, s.Body))];

    private static string? Read(BuildContext context, string relative) =>
        File.Exists(context.Paths.Combine(relative)) ? File.ReadAllText(context.Paths.Combine(relative)) : null;

    [GeneratedRegex(@"^(?<hashes>#{1,6})\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^https://github\.com/[^/]+/[^/]+/blob/main/RUNBOOK\.md#(?<anchor>[a-z0-9_-]+)$")]
    private static partial Regex RunbookUrl();

    [GeneratedRegex(@"(?m)^>\s*(.+)$")]
    private static partial Regex Quote();

    [GeneratedRegex(@"<[^>]*>|…|\.\.\.")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\bplaybooks/([a-z0-9-]+\.yml)\b")]
    private static partial Regex Playbook();

    // AWS access keys, private keys, GitHub and Argo CD style tokens.
    [GeneratedRegex(@"AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{30,}|eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}")]
    private static partial Regex SecretLike();
}
