using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Audit;

namespace Platform.Build.Ansible;

/// <summary>One task of a role or playbook as written: its file, line, name, module, arguments and the keywords it inherits from its blocks.</summary>
public sealed record AnsibleTask(string File, int Line, string Name, string Module, YamlNode? Args, YamlMappingNode Node, bool NoLog);

/// <summary>
/// The audit's rules over the Ansible roles and playbooks as written: what
/// a reviewer of a node-provisioning role refuses (TLS checks off, a download
/// piped into a shell or unverified, secrets logged or left readable, errors
/// ignored). ansible-lint checks style; these are the security rules it lacks.
/// </summary>
public static partial class AnsibleRules
{
    private static Rule R(string id, string title, Severity severity, string fix, params string[] refs) => new(id, title, severity, AuditSource.Ansible, fix, refs);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        R("ANS-001", "TLS verification is never turned off", Severity.High, "remove validate_certs: false, curl -k/--insecure and wget --no-check-certificate"),
        R("ANS-002", "No download is piped into a shell", Severity.High, "download with get_url and a checksum, then run the file"),
        R("ANS-003", "Remote downloads are verified by checksum", Severity.Medium, "add checksum: to get_url (or the published checksum file's URL)"),
        R("ANS-004", "Tasks that handle secrets log nothing", Severity.High, "set no_log: true on the task or its block", "ansible-lint:no-log-password"),
        R("ANS-005", "Files are written with an explicit mode", Severity.Medium, "set mode: on the task", "ansible-lint:risky-file-permissions"),
        R("ANS-006", "Keys, kubeconfigs and secret files are readable by their owner only", Severity.High, "set mode: \"0600\" (directories \"0700\")"),
        R("ANS-007", "No task ignores its errors", Severity.Low, "use failed_when with the failure you expect", "ansible-lint:ignore-errors"),
        R("ANS-008", "Commands say when they change something", Severity.Low, "set changed_when, or creates/removes", "ansible-lint:no-changed-when"),
        R("ANS-009", "Kubernetes packages are pinned to a version", Severity.Medium, "name kubeadm, kubelet and kubectl with =version", "ansible-lint:package-latest"),
    ];

    private static readonly string[] FileModules = ["copy", "template", "file", "get_url"];

    public static RuleSet For(IReadOnlyList<AnsibleTask> tasks) => new("ansible", Rules, () => tasks.SelectMany(Check));

    /// <summary>Every task of the YAML files under ansible/roles/*/tasks, */handlers and ansible/playbooks, blocks flattened.</summary>
    public static IReadOnlyList<AnsibleTask> Load(string root)
    {
        var files = new[] { "ansible/roles", "ansible/playbooks" }
            .Select(f => Path.Combine(root, f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.yml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f.StartsWith("ansible/playbooks/", StringComparison.Ordinal) || f.Contains("/tasks/", StringComparison.Ordinal) || f.Contains("/handlers/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        return [.. files.SelectMany(f => Parse(File.ReadAllText(Path.Combine(root, f)), f))];
    }

    /// <summary>The tasks of one file: a task list, or plays with tasks, pre_tasks, post_tasks and handlers.</summary>
    public static IEnumerable<AnsibleTask> Parse(string text, string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        foreach (var document in yaml.Documents)
        {
            if (document.RootNode is not YamlSequenceNode list)
            {
                continue;
            }

            foreach (var entry in list.Children.OfType<YamlMappingNode>())
            {
                var sections = new[] { "tasks", "pre_tasks", "post_tasks", "handlers" }.Where(s => entry.Children.ContainsKey(new YamlScalarNode(s))).ToList();
                var isPlay = entry.Children.ContainsKey(new YamlScalarNode("hosts")) || entry.Children.ContainsKey(new YamlScalarNode("import_playbook"));
                var sources = isPlay ? sections.Select(s => entry[s]).OfType<YamlSequenceNode>() : [new YamlSequenceNode(entry)];
                foreach (var task in sources.SelectMany(s => Flatten(s, file, inheritedNoLog: false)))
                {
                    yield return task;
                }
            }
        }
    }

    private static IEnumerable<AnsibleTask> Flatten(YamlSequenceNode tasks, string file, bool inheritedNoLog)
    {
        foreach (var node in tasks.Children.OfType<YamlMappingNode>())
        {
            var noLog = inheritedNoLog || Scalar(node, "no_log") is "true" or "True" or "yes";
            var inner = new[] { "block", "rescue", "always" }.Select(k => node.Children.TryGetValue(new YamlScalarNode(k), out var b) ? b as YamlSequenceNode : null).OfType<YamlSequenceNode>().ToList();
            if (inner.Count > 0)
            {
                foreach (var task in inner.SelectMany(b => Flatten(b, file, noLog)))
                {
                    yield return task;
                }

                continue;
            }

            var module = node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).FirstOrDefault(k => !Keywords.Contains(k)) ?? string.Empty;
            yield return new AnsibleTask(file, (int)node.Start.Line, Scalar(node, "name") ?? module, module.Split('.')[^1],
                module.Length == 0 ? null : node[module], node, noLog);
        }
    }

    private static readonly HashSet<string> Keywords =
    [
        "name", "when", "register", "loop", "with_items", "notify", "become", "become_user", "changed_when", "failed_when", "no_log", "tags",
        "check_mode", "ignore_errors", "delegate_to", "run_once", "throttle", "until", "retries", "delay", "vars", "environment", "listen",
        "loop_control", "args", "any_errors_fatal", "timeout", "diff", "block", "rescue", "always", "become_method", "become_flags", "become_exe",
        "async", "poll", "remote_user", "connection", "with_dict", "with_fileglob", "with_together", "with_subelements", "with_sequence", "with_nested",
        "with_list", "with_first_found", "module_defaults", "ignore_unreachable", "collections", "debugger", "port", "check_mode", "local_action",
    ];

    private static IEnumerable<Finding> Check(AnsibleTask task)
    {
        Finding F(string rule, string problem) => new(rule, $"{task.File}: {task.Name}", problem, new SourceLocation(task.File, task.Line));
        var text = string.Join(' ', task.Node.AllNodes.OfType<YamlScalarNode>().Select(s => s.Value));
        var args = task.Args as YamlMappingNode;
        string? Arg(string key) => args is null ? null : Scalar(args, key);
        var command = task.Module is "shell" or "command" or "raw" ? (task.Args as YamlScalarNode)?.Value ?? Arg("cmd") ?? Arg("argv") ?? text : string.Empty;

        var freeForm = (task.Args as YamlScalarNode)?.Value ?? string.Empty;
        var taskArgs = task.Node.Children.TryGetValue(new YamlScalarNode("args"), out var a) ? a as YamlMappingNode : null;
        var validate = Arg("validate_certs") ?? (taskArgs is null ? null : Scalar(taskArgs, "validate_certs"));
        if (validate is "false" or "False" or "no" or "No" or "0" || FreeFormNoVerify().IsMatch(freeForm) || Insecure().IsMatch(command))
        {
            yield return F("ANS-001", "turns TLS verification off: a man in the middle can serve anything");
        }

        if (PipeToShell().IsMatch(command))
        {
            yield return F("ANS-002", "pipes a download into a shell: what runs is whatever the server sends");
        }

        if (task.Module is "get_url" && Arg("checksum") is null || task.Module is "unarchive" && (Arg("src") ?? string.Empty).StartsWith("http", StringComparison.Ordinal))
        {
            yield return F("ANS-003", $"downloads {Arg("url") ?? Arg("src")} without a checksum");
        }

        if (!task.NoLog && Secret().IsMatch(text))
        {
            yield return F("ANS-004", "handles a secret (token, certificate key, password, join command) without no_log: it reaches the log and the CI output");
        }

        var mode = Arg("mode");
        if (FileModules.Contains(task.Module) && mode is null && Arg("state") is not ("absent" or "link"))
        {
            yield return F("ANS-005", $"{task.Module} without mode: the file's permissions depend on the umask");
        }

        var dest = Arg("dest") ?? Arg("path") ?? string.Empty;
        if (mode is not null && SecretPath().IsMatch(dest) && mode.TrimStart('0') is not ("600" or "400" or "700" or "640"))
        {
            yield return F("ANS-006", $"writes {dest} with mode {mode}: others can read it");
        }

        if (Scalar(task.Node, "ignore_errors") is "true" or "True" or "yes")
        {
            yield return F("ANS-007", "ignores every error, the unexpected ones too");
        }

        if (task.Module is "shell" or "command" && Scalar(task.Node, "changed_when") is null && Arg("creates") is null && Arg("removes") is null)
        {
            yield return F("ANS-008", "a command with no changed_when, creates or removes: every run reports a change");
        }

        if (task.Module is "apt" or "package" && task.Args is YamlMappingNode apt && apt.Children.TryGetValue(new YamlScalarNode("name"), out var names))
        {
            foreach (var package in (names as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value!) ?? [((YamlScalarNode)names).Value!])
            {
                if (package is "kubeadm" or "kubelet" or "kubectl")
                {
                    yield return F("ANS-009", $"installs {package} at whatever version the repository has: pin {package}={{{{ k8s_version }}}}-...");
                }
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    [GeneratedRegex(@"(curl\b[^|;]*\s(-[a-zA-Z]*k[a-zA-Z]*|--insecure)\b|wget\b[^|;]*--no-check-certificate|--insecure-skip-tls-verify|GIT_SSL_NO_VERIFY|sslverify\s*=\s*(0|false))")]
    private static partial Regex Insecure();

    [GeneratedRegex(@"(curl|wget)\b[^;\n]*\|\s*(sudo\s+(-\S+\s+)*)?(ba|z|da)?sh\b|(ba|z|da)?sh\s+(-c\s+[""']?\$\(|<\()\s*(curl|wget)\b")]
    private static partial Regex PipeToShell();

    [GeneratedRegex(@"\bvalidate_certs\s*=\s*(no|false|False|0)\b")]
    private static partial Regex FreeFormNoVerify();

    [GeneratedRegex(@"(--certificate-key|token create|join_command|_token\b|password|encryption_key|client_secret)", RegexOptions.IgnoreCase)]
    private static partial Regex Secret();

    [GeneratedRegex(@"(\.key$|/pki/|kubeconfig|admin\.conf|encryption-config|\.secrets/|token)")]
    private static partial Regex SecretPath();
}
