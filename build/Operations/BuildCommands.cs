using System.Text.RegularExpressions;
using Platform.Build.Core.Context;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Lifetime;

namespace Platform.Build.Operations;

/// <summary>A <c>./build.sh ...</c> command written in a document, at its line.</summary>
public sealed record WrittenCommand(string File, int Line, string Text);

/// <summary>
/// Resolves the build commands a document gives (RUNBOOK.md, the guides, the CI
/// workflow) against the real build: every target exists, every option is one
/// the build or its host knows, values have the shape the build accepts, an
/// option a target does not read is not given, and a command that would change
/// prod carries --confirm=prod. A command the build would refuse is a finding:
/// an operator copying it at 3 a.m. must not be the one who finds out.
/// </summary>
public static partial class BuildCommands
{
    /// <summary>Cake.Frosting's own host options (its documented command line).</summary>
    private static readonly HashSet<string> HostOptions = new(StringComparer.Ordinal)
    {
        "target", "verbosity", "dryrun", "tree", "description", "exclusive", "help", "version", "working",
    };

    private static readonly HashSet<string> Verbosities = new(StringComparer.Ordinal) { "quiet", "minimal", "normal", "verbose", "diagnostic" };

    /// <summary>Every <c>./build.sh</c> command in a Markdown or YAML text; a trailing backslash continues the line.</summary>
    public static IReadOnlyList<WrittenCommand> In(string file, string text)
    {
        var commands = new List<WrittenCommand>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match match in Command().Matches(lines[i]))
            {
                var command = match.Value.TrimEnd('`', ' ', '\\');
                var next = i;
                while (lines[next].TrimEnd().EndsWith('\\') && next + 1 < lines.Length)
                {
                    next++;
                    command += " " + lines[next].Trim().TrimEnd('\\', ' ');
                }

                commands.Add(new WrittenCommand(file, i + 1, Cut(command)));
            }
        }

        return commands;
    }

    /// <summary>The run's tasks; a context made outside a run (no host) gets this assembly's public tasks, which the host registers.</summary>
    public static TaskCatalog CatalogOf(BuildContext context) =>
        context.Catalog.Tasks.Count > 0 ? context.Catalog : TaskCatalog.Of(typeof(BuildCommands).Assembly);

    /// <summary>What is wrong with each command (empty: every command resolves).</summary>
    public static IReadOnlyList<string> Problems(TaskCatalog catalog, IEnumerable<WrittenCommand> commands) =>
        [.. commands.SelectMany(c => Problems(catalog, c).Select(p => $"{c.File}:{c.Line}: `{c.Text}`: {p}"))];

    public static IEnumerable<string> Problems(TaskCatalog catalog, WrittenCommand command)
    {
        var tokens = command.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        var options = new List<(string Name, string? Value)>();
        foreach (var token in tokens)
        {
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                yield return $"'{token}' is not an option: the build takes only --name=value options";
                continue;
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            options.Add(equals < 0 ? (token[2..], null) : (token[2..equals], token[(equals + 1)..]));
        }

        foreach (var (name, _) in options.Where(o => !HostOptions.Contains(o.Name) && !BuildOptions.Known.Any(k => k.Name == o.Name)))
        {
            yield return $"--{name} is not an option of the build (see ./build.sh --help)";
        }

        var targets = options.Where(o => o.Name == "target").Select(o => o.Value ?? string.Empty).DefaultIfEmpty("Default").ToList();
        var found = new List<TaskDescriptor>();
        foreach (var target in targets)
        {
            if (catalog.Find(target) is { } task)
            {
                found.Add(task);
            }
            else
            {
                var close = TargetSuggestions.Closest(target, catalog.Tasks.Select(t => t.Name), 1);
                yield return $"no target '{target}'{(close.Count > 0 ? $": did you mean {close[0]}?" : string.Empty)}";
            }
        }

        var env = Value(options, "env");
        if (env is not null && !PlatformEnvironments.All.Contains(env) && !IsPlaceholder(env))
        {
            yield return $"--env={env}: the environments are {string.Join(" and ", PlatformEnvironments.All)}";
        }

        if (Value(options, "verbosity") is { } verbosity && !Verbosities.Contains(verbosity))
        {
            yield return $"--verbosity={verbosity}: use one of {string.Join(", ", Verbosities)}";
        }

        if (Value(options, "to") is { } to && !IsPlaceholder(to) && !ExactVersion().IsMatch(to))
        {
            yield return $"--to={to}: the build takes an exact version such as 1.33.2";
        }

        if (Value(options, "confirm") is { } confirm && confirm != (env ?? "dev") && !IsPlaceholder(confirm))
        {
            yield return $"--confirm={confirm} does not match --env={env ?? "dev"}: the build refuses it";
        }

        var run = Closure(catalog, found);
        foreach (var (option, _, readers) in BuildLifetime.TaskOptions)
        {
            if (options.Any(o => $"--{o.Name}" == option) && !readers.Any(run.Contains))
            {
                yield return $"{option} is read only by {string.Join(" and ", readers)}, not by this command's targets: the build refuses it";
            }
        }

        var live = RunModes.For(targets, catalog) == RunMode.Live;
        if (live && env == "prod" && Value(options, "confirm") is null && BuildLifetime.ActionsOf(catalog, run).Count > 0
            && !options.Any(o => o.Name is "dryrun" or "tree" or "description" or "help"))
        {
            yield return "changes prod without --confirm=prod: the build refuses it; add --confirm=prod";
        }
    }

    /// <summary>The targets and every task they depend on.</summary>
    private static HashSet<string> Closure(TaskCatalog catalog, IEnumerable<TaskDescriptor> targets)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<TaskDescriptor>(targets);
        while (stack.Count > 0)
        {
            var task = stack.Pop();
            if (seen.Add(task.Name))
            {
                foreach (var dependency in task.Dependencies)
                {
                    stack.Push(catalog[dependency]);
                }
            }
        }

        return seen;
    }

    private static string? Value(List<(string Name, string? Value)> options, string name) =>
        options.LastOrDefault(o => o.Name == name).Value;

    // <env>, ENV, N, FILE: a document's placeholder, filled in by the reader.
    private static bool IsPlaceholder(string value) => value.StartsWith('<') || value.All(c => char.IsUpper(c) || c == '_' || c == '-');

    // A comment or a shell operator ends the build's arguments.
    private static string Cut(string command)
    {
        foreach (var stop in new[] { " #", " &&", " ||", " |", " ;", " >", " 2>" })
        {
            var at = command.IndexOf(stop, StringComparison.Ordinal);
            if (at > 0)
            {
                command = command[..at];
            }
        }

        return command.Trim();
    }

    [GeneratedRegex(@"\./build\.sh(?:\s+[^\s`]+)*")]
    private static partial Regex Command();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex ExactVersion();
}
