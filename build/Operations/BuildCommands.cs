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
        "target", "verbosity", "dryrun", "noop", "whatif", "tree", "showtree", "description", "descriptions", "showdescription",
        "showdescriptions", "exclusive", "e", "help", "h", "version", "ver", "info", "working",
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

        // The build's own parser and the lifetime's own refusals decide: what the build would refuse, the document must not say.
        var (parsed, refused) = Parse(options);
        if (refused is not null)
        {
            yield return refused;
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
                yield return TargetSuggestions.NotFound(target, catalog.Tasks.Select(t => t.Name));
            }
        }

        if (Value(options, "verbosity") is { } verbosity && !Verbosities.Contains(verbosity))
        {
            yield return $"--verbosity={verbosity}: use one of {string.Join(", ", Verbosities)}";
        }

        if (parsed is null || options.Any(o => o.Name is "dryrun" or "tree" or "description" or "help"))
        {
            yield break;
        }

        var exclusive = options.Any(o => o.Name is "exclusive" or "e");
        var run = exclusive ? found.Select(t => t.Name).ToHashSet(StringComparer.Ordinal) : Closure(catalog, found);
        if (BuildLifetime.UnusedOption(parsed, run) is { } unused)
        {
            yield return unused;
        }

        if (BuildLifetime.UnconfirmedProd(RunModes.For(targets, catalog), parsed, BuildLifetime.ActionsOf(catalog, run)) is { } prod)
        {
            yield return prod;
        }
    }

    /// <summary>
    /// The options as BuildOptions.Parse reads them, or its refusal. A placeholder (&lt;env&gt;, N, FILE)
    /// is filled with a value of the right shape, and a path with one that exists here: which
    /// files exist is the operator's machine's business, their shape is the document's.
    /// </summary>
    private static (BuildOptions? Parsed, string? Refused) Parse(List<(string Name, string? Value)> options)
    {
        var given = options.Where(o => !HostOptions.Contains(o.Name) || o.Name == "target")
            .Select(o => (o.Name, Value: o.Value is null ? "true" : Fill(o.Name, o.Value, options)))
            .ToList();
        try
        {
            return (BuildOptions.Parse(new Cake.Core.CakeArguments(given.ToLookup(o => o.Name, o => o.Value, StringComparer.OrdinalIgnoreCase)), Path.GetTempPath()), null);
        }
        catch (OptionException e)
        {
            return (null, e.Message);
        }
    }

    private static readonly HashSet<string> PathOptions = new(StringComparer.Ordinal) { "kubeconfig", "snapshot", "apply-plan", "git-token-file" };

    private static string Fill(string name, string value, List<(string Name, string? Value)> options)
    {
        if (PathOptions.Contains(name))
        {
            return typeof(BuildCommands).Assembly.Location; // a file that exists
        }

        if (name == "terraform-plugin-dir")
        {
            return AppContext.BaseDirectory; // a folder that exists
        }

        if (!IsPlaceholder(value))
        {
            return value;
        }

        return name switch
        {
            "env" => "dev",
            "confirm" => Value(options, "env") is { } env && !IsPlaceholder(env) ? env : "dev",
            "to" => "1.33.2",
            "node" => "node-1",
            "parallel" => "2",
            _ => "1",
        };
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

    /// <summary>A document's placeholders, filled in by the reader (PROD or DEV are typos, not placeholders).</summary>
    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal) { "N", "FILE", "DIR", "PATH", "NAME", "GIT-REV", "x.y.z" };

    private static bool IsPlaceholder(string value) => value.StartsWith('<') || Placeholders.Contains(value);

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
