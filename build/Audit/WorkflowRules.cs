using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Platform.Build.Core.Audit;

namespace Platform.Build.Audit;

/// <summary>
/// The audit's rules over the CI workflows (.github/workflows): what zizmor
/// and checkov's GitHub Actions checks hold a pipeline that holds cloud
/// credentials to - pinned actions, least-privilege tokens, no credentials
/// left in the checkout, no untrusted text in a shell, no secret echoed,
/// bounded jobs, and the applying jobs behind a protected environment.
/// </summary>
public static partial class WorkflowRules
{
    public const string Folder = ".github/workflows";

    private static Rule R(string id, string title, Severity severity, string fix, params string[] refs) => new(id, title, severity, AuditSource.Workflow, fix, refs);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        R("CI-001", "Actions are pinned to a full commit SHA", Severity.High, "use owner/action@<40-hex sha> # vX.Y.Z", "zizmor:unpinned-uses"),
        R("CI-002", "The workflow's token has least privilege (permissions set, never write-all)", Severity.High, "set top-level permissions: contents: read, and grant more per job", "CKV2_GHA_1", "zizmor:excessive-permissions"),
        R("CI-003", "No pull_request_target workflow checks out the pull request", Severity.Critical, "use pull_request, or never check out github.event.pull_request.head", "zizmor:dangerous-triggers"),
        R("CI-004", "Checkouts keep no credentials in .git", Severity.Medium, "set persist-credentials: false on actions/checkout", "zizmor:artipacked"),
        R("CI-005", "No untrusted event text is expanded into a shell", Severity.High, "pass it through env: and quote \"$VAR\"", "zizmor:template-injection", "CKV_GHA_2"),
        R("CI-006", "Jobs have a timeout", Severity.Low, "set timeout-minutes on the job"),
        R("CI-007", "No secret is echoed", Severity.High, "never echo or print a secret; pass it in env: to the step that uses it"),
        R("CI-008", "Jobs that hold cloud credentials run in a protected environment", Severity.Medium, "give the job environment: with required reviewers"),
    ];

    public static RuleSet For(string root) => new("workflows", Rules, () => Files(root).SelectMany(f => Check(File.ReadAllText(Path.Combine(root, f)), f)));

    public static IEnumerable<string> Files(string root) =>
        Directory.Exists(Path.Combine(root, Folder))
            ? Directory.EnumerateFiles(Path.Combine(root, Folder), "*.y*ml").Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)
            : [];

    public static IEnumerable<Finding> Check(string text, string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        if (yaml.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
        {
            yield break;
        }

        Finding F(string rule, string subject, string problem, YamlNode at) => new(rule, $"{file}: {subject}", problem, new SourceLocation(file, (int)at.Start.Line));
        var triggers = Get(root, "on") ?? Get(root, "true");
        var targetTrigger = triggers?.AllNodes.OfType<YamlScalarNode>().Any(s => s.Value == "pull_request_target") == true;
        var permissions = Get(root, "permissions");
        if (permissions is null)
        {
            yield return F("CI-002", "workflow", "sets no permissions: the token gets the repository's default, often write to everything", root);
        }
        else if (permissions is YamlScalarNode { Value: "write-all" } || permissions.AllNodes.OfType<YamlScalarNode>().Count(s => s.Value == "write") > 2)
        {
            yield return F("CI-002", "workflow", "grants write permissions to every job: grant them per job instead", permissions);
        }

        foreach (var (jobName, job) in (Get(root, "jobs") as YamlMappingNode)?.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value as YamlMappingNode)) ?? [])
        {
            if (job is null)
            {
                continue;
            }

            if (Get(job, "permissions") is YamlScalarNode { Value: "write-all" })
            {
                yield return F("CI-002", $"job {jobName}", "grants its token write-all: name the permissions it needs", job);
            }

            if (Scalar(job, "uses") is { } reusable && !reusable.StartsWith("./", StringComparison.Ordinal) && !PinnedSha().IsMatch(reusable))
            {
                yield return F("CI-001", $"job {jobName}: {reusable}", "calls a reusable workflow by tag or branch, which its owner can move", job);
            }

            if (Get(job, "timeout-minutes") is null && Get(job, "uses") is null)
            {
                yield return F("CI-006", $"job {jobName}", "has no timeout-minutes: a hung step runs for six hours", job);
            }

            var steps = (Get(job, "steps") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];
            var holdsCloud = steps.Any(s => (Scalar(s, "uses") ?? string.Empty).StartsWith("aws-actions/configure-aws-credentials", StringComparison.Ordinal));
            if (holdsCloud && Get(job, "environment") is null)
            {
                yield return F("CI-008", $"job {jobName}", "assumes an AWS role outside a protected environment: anyone who can push runs it", job);
            }

            foreach (var step in steps)
            {
                var uses = Scalar(step, "uses");
                var name = Scalar(step, "name") ?? uses ?? "step";
                if (uses is not null && !uses.StartsWith("./", StringComparison.Ordinal) && !uses.StartsWith("docker://", StringComparison.Ordinal) && !PinnedSha().IsMatch(uses))
                {
                    yield return F("CI-001", $"job {jobName}: {uses}", "is pinned to a tag or branch, which its owner can move", step);
                }

                if (uses?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true)
                {
                    var with = Get(step, "with") as YamlMappingNode;
                    if ((with is null ? null : Scalar(with, "persist-credentials")) != "false")
                    {
                        yield return F("CI-004", $"job {jobName}: checkout", "leaves the job's token in .git/config for every later step and artifact", step);
                    }

                    if (targetTrigger && with is not null && PullRequestCode().IsMatch(Scalar(with, "ref") ?? string.Empty))
                    {
                        yield return F("CI-003", $"job {jobName}: checkout", "checks out the pull request's code with the base repository's secrets", step);
                    }
                }

                if (Scalar(step, "run") is { } run)
                {
                    foreach (Match injection in Untrusted().Matches(run))
                    {
                        yield return F("CI-005", $"job {jobName}: {name}", $"expands {injection.Value} into the shell: its author can run commands", step);
                    }

                    if (EchoedSecret().IsMatch(run))
                    {
                        yield return F("CI-007", $"job {jobName}: {name}", "prints a secret into the log", step);
                    }
                }
            }
        }
    }

    private static YamlNode? Get(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode node, string key) => Get(node, key) is YamlScalarNode s ? s.Value : null;

    [GeneratedRegex(@"pull_request\.head|github\.head_ref|refs/pull/|event\.number|merge_commit_sha")]
    private static partial Regex PullRequestCode();

    [GeneratedRegex(@"@[0-9a-f]{40}$")]
    private static partial Regex PinnedSha();

    [GeneratedRegex(@"\$\{\{\s*github\.(event\.(issue|pull_request|comment|review|review_comment|head_commit|commits|pages)[^}]*|head_ref)\s*\}\}")]
    private static partial Regex Untrusted();

    [GeneratedRegex(@"(echo|printf|cat)\b[^\n]*\$\{\{\s*secrets\.")]
    private static partial Regex EchoedSecret();
}
