using Cake.Core;
using k8s;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Graph;
using Platform.Build.Core.Hosting;
using Platform.Build.Core.Spec;
using Platform.Build.Frosting;
using Platform.Build.Tools;

namespace Platform.Build.Core.Context;

/// <summary>
/// The typed context every platform task runs on: options, mode, paths for the
/// environment, what outside systems are reachable, and the run's results.
/// Bad options and unknown targets are refused here, before any task is
/// registered or run. Built by the host's container, it reads the run and the
/// tasks from the Cake context's services.
/// </summary>
public sealed class BuildContext : FrostingContext
{
    private readonly Dictionary<Type, object> _shared = [];
    private SpecDocument? _spec;

    public BuildContext(ICakeContext context) : base(context)
    {
        var root = context.Environment.WorkingDirectory.FullPath;
        Run = context.ServiceProvider.GetService(typeof(PlatformRun)) as PlatformRun;
        var tasks = context.ServiceProvider.GetService(typeof(IEnumerable<IFrostingTask>)) as IEnumerable<IFrostingTask>;
        Catalog = new TaskCatalog(tasks?.Select(t => t.GetType()) ?? []);
        var flags = Run?.Flags ?? RunFlags.None;
        try
        {
            Options = BuildOptions.Parse(context.Arguments, Run?.Caller ?? root, flags.DryRun);
            if (tasks is not null && !flags.Tree && !flags.Description)
            {
                RefuseUnknownTargets(Options.Targets, Catalog);
            }

            Paths = new PlatformPaths(root, Options.EnvironmentName);
            Mode = Catalog.Tasks.Count > 0 ? RunModes.For(Options.Targets, Catalog) : RunMode.Live;
            TerraformOutputs = EnvironmentBinding.Check(context.Environment, Options, Paths);
            Credentials = Credentials.Detect(context.Environment, Options, Paths);
        }
        catch (RefusedException)
        {
            Run?.MarkRefused();
            throw;
        }
    }

    /// <summary>The run this context belongs to (null for a context made outside a platform run, as tests do).</summary>
    public PlatformRun? Run { get; }

    /// <summary>The tasks of this build, as the host registered them.</summary>
    public TaskCatalog Catalog { get; }

    /// <summary>--env's Terraform outputs (the inventory's input): checked to be --env's before anything runs.</summary>
    public string TerraformOutputs { get; }

    public BuildOptions Options { get; }
    public PlatformPaths Paths { get; }
    public RunMode Mode { get; }
    public Credentials Credentials { get; }
    public CheckLedger Ledger { get; } = new();

    /// <summary>The checks started ahead of their turn (offline runs with --parallel above 1), set by the lifetime's Setup.</summary>
    public Tasks.AheadOfTurn? Ahead { get; internal set; }

    /// <summary>The task list this build mirrors; loaded by the lifetime's Setup (a run, not --tree).</summary>
    public SpecDocument Spec => _spec ?? throw new InvalidOperationException("the spec is loaded in Setup; this task ran without the BuildLifetime");

    /// <summary>
    /// Go on after a failed task so the report covers every seed item - unless
    /// this run can change real systems, where a failure must stop what follows.
    /// </summary>
    public bool KeepGoing => Mode != RunMode.Live || !CanChangeSomething;

    /// <summary>
    /// True when a task of this run has an action that would really run (live
    /// mode, implemented, its needs met). Set by the lifetime's Setup from the
    /// tasks to execute; until then a live run is assumed able to change things.
    /// </summary>
    public bool CanChangeSomething { get; internal set; } = true;

    /// <summary>
    /// One object of a kind per run, made on first use and shared by every
    /// task (a domain's session: Terraform's workspace and plans, the
    /// kustomize renders). Domains reach theirs through an extension property,
    /// so this type knows none of them.
    /// </summary>
    public T Shared<T>(Func<BuildContext, T> create) where T : class
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(typeof(T), out var found))
            {
                found = create(this);
                _shared[typeof(T)] = found;
            }

            return (T)found;
        }
    }

    /// <summary>
    /// The cluster of this run (--kubeconfig, or the one Task 2.8 saved for
    /// --env), one client for every live check; made on first use, so a run
    /// without a cluster never opens one. Live checks declare Needs.Cluster.
    /// </summary>
    public IKubernetes Cluster => Shared(c => ClusterClient.Open(c.Credentials.Kubeconfig
        ?? throw new InvalidOperationException("no kubeconfig: a live check ran without declaring Needs.Cluster")));

    public SpecDocument LoadSpec() => _spec ??= SpecDocument.Load(Paths.Spec, Paths.Relative(Paths.Spec));

    /// <summary>Why something needing <paramref name="needs"/> cannot run now, or null.</summary>
    public string? Missing(Needs needs) => Credentials.Missing(needs, Paths);

    /// <summary>A service of the host (the console, the engine).</summary>
    public T Service<T>() where T : class =>
        ServiceProvider.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"{typeof(T).Name} is not available from the host");

    /// <summary>Every unknown target in one line, with the closest task names of each.</summary>
    private static void RefuseUnknownTargets(IEnumerable<string> targets, TaskCatalog catalog)
    {
        var unknown = targets.Where(t => catalog.Find(t) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new OptionException(TargetSuggestions.NotFound(unknown, catalog.Tasks.Select(t => t.Name)));
        }
    }
}
