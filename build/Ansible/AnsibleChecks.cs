using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Ansible;

/// <summary>The offline Phase 2 checks: lint, syntax, project settings, the inventory against fixture outputs.</summary>
public static partial class AnsibleChecks
{
    public static readonly string[] Playbooks = ["playbooks/k8s-setup.yml", "playbooks/k8s-destroy.yml", "playbooks/etcd-snapshot.yml"];
    public static readonly string[] Collections = ["ansible.posix", "community.general", "kubernetes.core"];

    /// <summary>ansible-lint (production profile, offline) over paths relative to ansible/.</summary>
    public static Outcome Lint(BuildContext context, params string[] paths)
    {
        var absent = paths.Where(p => !Path.Exists(Path.Combine(context.Paths.Ansible, p))).ToList();
        if (absent.Count > 0)
        {
            return Outcome.NotImplemented($"missing: {string.Join(", ", absent.Select(p => $"ansible/{p}"))}");
        }

        var result = context.AnsibleLint(paths, Settings<AnsibleLintSettings>(context));
        return result.Succeeded
            ? Outcome.Pass($"ansible-lint (production profile): no findings in {string.Join(", ", paths)}")
            : Outcome.Fail(LintFindings(result));
    }

    /// <summary>yamllint over ansible/ with its .yamllint.</summary>
    public static Outcome Yamllint(BuildContext context) => LintChecks.Yamllint(context, "ansible");

    /// <summary>ansible-playbook --syntax-check of every playbook.</summary>
    public static Outcome SyntaxCheck(BuildContext context, params string[] playbooks)
    {
        var missing = playbooks.Where(p => !File.Exists(Path.Combine(context.Paths.Ansible, p))).ToList();
        if (missing.Count > 0)
        {
            return Outcome.NotImplemented($"missing: {string.Join(", ", missing.Select(p => $"ansible/{p}"))}");
        }

        var findings = new List<string>();
        foreach (var playbook in playbooks)
        {
            var settings = Settings<AnsiblePlaybookSettings>(context);
            settings.SyntaxCheck = true;
            settings.Inventory = "localhost,";
            var result = context.AnsiblePlaybook(playbook, settings);
            if (!result.Succeeded)
            {
                findings.Add($"ansible/{playbook}: {result.Tail(4)}");
            }
        }

        return Outcome.FromFindings(findings, $"syntax valid: {string.Join(", ", playbooks)}");
    }

    /// <summary>The project folders of the plan.</summary>
    public static Outcome Layout(BuildContext context)
    {
        if (!Directory.Exists(context.Paths.Ansible))
        {
            return Outcome.NotImplemented("ansible/ does not exist");
        }

        var missing = new[] { "inventory/dev", "inventory/prod", "inventory/fixtures", "roles", "playbooks", "tests" }
            .Concat(context.LoadSpec().FoldersUnder("ansible/roles/").Select(r => $"roles/{r}"))
            .Where(d => !Directory.Exists(Path.Combine(context.Paths.Ansible, d)))
            .ToList();
        return missing.Count == 0
            ? Outcome.Pass("ansible/{inventory/{dev,prod,fixtures},roles/{" + string.Join(",", context.LoadSpec().FoldersUnder("ansible/roles/")) + "},playbooks,tests}")
            : Outcome.NotImplemented($"missing folders: {string.Join(", ", missing.Select(d => $"ansible/{d}"))}");
    }

    /// <summary>ansible.cfg has the seed's settings and the speed ones, and Ansible reads it without complaint.</summary>
    public static Outcome Config(BuildContext context)
    {
        var path = Path.Combine(context.Paths.Ansible, "ansible.cfg");
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented("ansible/ansible.cfg does not exist");
        }

        var settings = Ini(File.ReadAllLines(path));
        (string Section, string Key, Func<string, bool> Ok, string Want)[] expected =
        [
            ("defaults", "inventory", v => v.Length > 0, "an inventory"),
            ("defaults", "host_key_checking", v => v.Equals("False", StringComparison.OrdinalIgnoreCase), "False"),
            ("defaults", "retry_files_enabled", v => v.Equals("False", StringComparison.OrdinalIgnoreCase), "False"),
            ("defaults", "roles_path", v => v == "roles", "roles"),
            ("defaults", "collections_path", v => v.Length > 0, "collections_path (not the deprecated collections_paths)"),
            ("defaults", "fact_caching", v => v.Length > 0 && v != "memory", "a persistent fact cache"),
            ("defaults", "callbacks_enabled", v => v.Contains("profile_tasks", StringComparison.Ordinal), "profile_tasks"),
            ("privilege_escalation", "become", v => v.Equals("True", StringComparison.OrdinalIgnoreCase), "True"),
            ("privilege_escalation", "become_method", v => v == "sudo", "sudo"),
            ("ssh_connection", "pipelining", v => v.Equals("True", StringComparison.OrdinalIgnoreCase), "True"),
        ];
        var findings = expected
            .Where(e => !settings.TryGetValue($"{e.Section}.{e.Key}", out var value) || !e.Ok(value))
            .Select(e => $"ansible/ansible.cfg: [{e.Section}] {e.Key} should be {e.Want}")
            .ToList();
        if (settings.ContainsKey("defaults.collections_paths"))
        {
            findings.Add("ansible/ansible.cfg: collections_paths is deprecated; write collections_path");
        }

        var dump = context.RunCommand("ansible-config", 
            new PlatformToolSettings { WorkingDirectory = context.Paths.Ansible, EnvironmentVariables = { ["ANSIBLE_CONFIG"] = path } },
            "dump", "--only-changed");
        if (!dump.Succeeded || dump.Error.Any(l => l.Contains("WARNING", StringComparison.Ordinal) || l.Contains("ERROR", StringComparison.Ordinal)))
        {
            findings.Add($"ansible-config dump: {dump.Tail(3)}");
        }

        return Outcome.FromFindings(findings, $"{expected.Length} settings as planned; ansible-config reads it cleanly");
    }

    /// <summary>requirements.yml pins every collection the roles and playbooks use.</summary>
    public static Outcome Requirements(BuildContext context)
    {
        var path = Path.Combine(context.Paths.Ansible, "requirements.yml");
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented("ansible/requirements.yml does not exist");
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(path)));
        var pinned = ((YamlMappingNode)yaml.Documents[0].RootNode)["collections"] is YamlSequenceNode list
            ? list.Children.OfType<YamlMappingNode>().ToDictionary(
                c => c["name"].ToString(),
                c => c.Children.TryGetValue(new YamlScalarNode("version"), out var v) ? v.ToString() : null)
            : [];
        var used = Directory.EnumerateFiles(context.Paths.Ansible, "*.yml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(context.Paths.Ansible, "*.py", SearchOption.AllDirectories))
            .SelectMany(f => FullyQualified().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(c => !c.StartsWith("ansible.builtin", StringComparison.Ordinal))
            .ToHashSet();
        var findings = used.Where(c => !pinned.ContainsKey(c)).Select(c => $"ansible/requirements.yml: {c} is used but not listed")
            .Concat(pinned.Where(p => p.Value is null || !Regex.IsMatch(p.Value, @"^\d+\.\d+\.\d+$")).Select(p => $"ansible/requirements.yml: {p.Key} is not pinned to an exact version"))
            .Concat(Collections.Where(c => !pinned.ContainsKey(c)).Select(c => $"ansible/requirements.yml: {c} is missing"))
            .ToList();
        return Outcome.FromFindings(findings, $"pins {string.Join(", ", pinned.Select(p => $"{p.Key} {p.Value}"))}; every collection used is listed");
    }

    /// <summary>Every variable of a role's defaults appears in its README.</summary>
    public static Outcome ReadmeDocumentsVariables(BuildContext context, string role)
    {
        var defaults = Path.Combine(context.Paths.Ansible, "roles", role, "defaults", "main.yml");
        var readme = Path.Combine(context.Paths.Ansible, "roles", role, "README.md");
        if (!File.Exists(defaults) || !File.Exists(readme))
        {
            return Outcome.NotImplemented($"ansible/roles/{role}/defaults/main.yml or README.md does not exist");
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(defaults)));
        var names = ((YamlMappingNode)yaml.Documents[0].RootNode).Children.Keys.Select(k => k.ToString()).ToList();
        var text = File.ReadAllText(readme);
        var missing = names.Where(n => !text.Contains($"`{n}`", StringComparison.Ordinal)).ToList();
        return Outcome.FromFindings(missing.Select(n => $"ansible/roles/{role}/README.md does not document `{n}`").ToList(), $"README documents all {names.Count} variables of defaults/main.yml");
    }

    /// <summary>Settings that run from ansible/ with its ansible.cfg.</summary>
    public static T Settings<T>(BuildContext context) where T : AnsibleSettings, new() => new()
    {
        WorkingDirectory = context.Paths.Ansible,
        ConfigFile = Path.Combine(context.Paths.Ansible, "ansible.cfg"),
    };

    private static string LintFindings(ToolResult result)
    {
        var findings = result.Output.Concat(result.Error).Where(l => Regex.IsMatch(l, @"^\S+:\d+")).ToList();
        return findings.Count > 0 ? string.Join("; ", findings.Take(10)) : result.Tail();
    }

    private static Dictionary<string, string> Ini(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var section = string.Empty;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals > 0)
            {
                values[$"{section}.{line[..equals].Trim()}"] = line[(equals + 1)..].Trim();
            }
        }

        return values;
    }

    // A module or plugin by its full name: "community.general.modprobe:" in YAML, "community.aws.aws_ssm" in the inventory script.
    [GeneratedRegex(@"\b((?:ansible|community|kubernetes|amazon)\.[a-z_]+)\.[a-z_0-9]+\b")]
    private static partial Regex FullyQualified();
}
