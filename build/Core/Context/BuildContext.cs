using Cake.Core;
using k8s;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Spec;
using Platform.Build.Frosting;
using Platform.Build.Tools;

namespace Platform.Build.Core.Context;

/// <summary>
/// The typed context every platform task runs on: options, mode, paths for the
/// environment, what outside systems are reachable, and the run's results.
/// Bad options fail here, before any task is registered or run.
/// </summary>
public sealed class BuildContext : FrostingContext
{
    private readonly Dictionary<Type, object> _shared = [];
    private SpecDocument? _spec;

    public BuildContext(ICakeContext context) : base(context)
    {
        var root = context.Environment.WorkingDirectory.FullPath;
        var caller = (context.ServiceProvider.GetService(typeof(HostDirectories)) as HostDirectories)?.Caller ?? root;
        Options = BuildOptions.Parse(context.Arguments, caller);
        Paths = new PlatformPaths(root, Options.EnvironmentName);
        Mode = context.ServiceProvider.GetService(typeof(TaskCatalog)) is TaskCatalog catalog
            ? RunModes.For(Options.Targets, catalog)
            : RunMode.Live;
        TerraformOutputs = EnvironmentBinding.Check(context.Environment, Options, Paths);
        Credentials = Credentials.Detect(context.Environment, Options, Paths);
    }

    /// <summary>--env's Terraform outputs (the inventory's input): checked to be --env's before anything runs.</summary>
    public string TerraformOutputs { get; }

    public BuildOptions Options { get; }
    public PlatformPaths Paths { get; }
    public RunMode Mode { get; }
    public Credentials Credentials { get; }
    public CheckLedger Ledger { get; } = new();

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

    /// <summary>Service the host registered (console, task catalog, engine).</summary>
    public T Service<T>() where T : class =>
        ServiceProvider.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"{typeof(T).Name} is not available from the host");

    internal TaskCatalog Catalog => Service<TaskCatalog>();
}
