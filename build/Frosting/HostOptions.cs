using Cake.Core.Diagnostics;

namespace Platform.Build.Frosting;

/// <summary>
/// A command line the host cannot parse: printed as one line, and the run
/// returns -1 (a 255 process exit), as Cake.Frosting's command-line parser does.
/// </summary>
internal sealed class CommandLineException(string message) : Exception(message);

/// <summary>
/// The Frosting command line: host options are parsed here, every other
/// <c>--name=value</c> (or <c>--name value</c>, or a bare <c>--flag</c> = "true")
/// goes to the context's arguments, as Cake.Frosting does.
/// </summary>
internal sealed class HostOptions
{
    public const string DefaultTarget = "Default";

    public List<string> Targets { get; } = [];

    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;
    public bool DryRun { get; private set; }
    public bool Tree { get; private set; }
    public bool Description { get; private set; }
    public bool Exclusive { get; private set; }
    public bool Version { get; private set; }
    public bool Info { get; private set; }
    public bool Help { get; private set; }
    public string? WorkingDirectory { get; private set; }

    /// <summary>Arguments for the context, keyed case-insensitively; includes "target".</summary>
    public Dictionary<string, List<string>> Arguments { get; } = new(StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        "dryrun", "noop", "whatif", "tree", "showtree", "description", "descriptions", "showdescription", "showdescriptions",
        "exclusive", "e", "version", "ver", "info", "help", "h",
    };

    public static HostOptions Parse(IEnumerable<string> args)
    {
        var options = new HostOptions();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var token = list[i];
            if (!token.StartsWith('-') || token == "-" || token == "--")
            {
                throw new CommandLineException($"unexpected argument '{token}': options are written --name=value (see --help)");
            }

            var body = token.TrimStart('-');
            string name;
            string? value = null;
            var eq = body.IndexOf('=');
            if (eq >= 0)
            {
                name = body[..eq];
                value = body[(eq + 1)..];
            }
            else
            {
                name = body;
            }

            if (name.Length == 0)
            {
                throw new CommandLineException($"unexpected argument '{token}'");
            }

            // A flag never swallows the next word; a valued option takes it when it is not an option itself.
            if (value is null && !Flags.Contains(name) && i + 1 < list.Count && !list[i + 1].StartsWith('-'))
            {
                value = list[++i];
            }

            options.Apply(name, value);
        }

        if (options.Targets.Count == 0)
        {
            options.Targets.Add(DefaultTarget);
        }

        // As Frosting: the targets reach the context's arguments; the other host options do not.
        options.Arguments["target"] = [.. options.Targets];

        return options;
    }

    private void Apply(string name, string? value)
    {
        switch (name.ToLowerInvariant())
        {
            case "target":
            case "t":
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new CommandLineException("--target needs a task name, e.g. --target=Validate");
                }

                // Repeat the option for several targets; a comma is part of the name, as in Frosting.
                Targets.Add(value);
                break;
            case "verbosity":
            case "v":
                Verbosity = ParseVerbosity(value);
                break;
            case "dryrun":
            case "noop":
            case "whatif":
                DryRun = ParseFlag(name, value);
                break;
            case "tree":
            case "showtree":
                Tree = ParseFlag(name, value);
                break;
            case "description":
            case "descriptions":
            case "showdescription":
            case "showdescriptions":
                Description = ParseFlag(name, value);
                break;
            case "exclusive":
            case "e":
                Exclusive = ParseFlag(name, value);
                break;
            case "working":
            case "w":
                WorkingDirectory = string.IsNullOrWhiteSpace(value)
                    ? throw new CommandLineException("--working needs a directory, e.g. --working=..")
                    : value;
                break;
            case "version":
            case "ver":
                Version = ParseFlag(name, value);
                break;
            case "info":
                Info = ParseFlag(name, value);
                break;
            case "help":
            case "h":
                Help = ParseFlag(name, value);
                break;
            default:
                if (!Arguments.TryGetValue(name, out var values))
                {
                    Arguments[name] = values = [];
                }

                values.Add(value ?? "true");
                break;
        }
    }

    private static bool ParseFlag(string name, string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "true" => true,
        "false" => false,
        _ => throw new CommandLineException($"--{name}={value} is not valid: --{name} takes no value (or true/false)"),
    };

    internal static Verbosity ParseVerbosity(string? value) => value?.ToLowerInvariant() switch
    {
        "q" or "quiet" => Verbosity.Quiet,
        "m" or "minimal" => Verbosity.Minimal,
        "n" or "normal" => Verbosity.Normal,
        "v" or "verbose" => Verbosity.Verbose,
        "d" or "diagnostic" => Verbosity.Diagnostic,
        _ => throw new CommandLineException(
            $"--verbosity={value} is not valid: use quiet, minimal, normal, verbose or diagnostic"),
    };
}
