using Cake.Core;
using Platform.Build.Checks;
using Platform.Build.Frosting;
using Platform.Build.Spec;

namespace Platform.Build.Context;

/// <summary>
/// The typed context every platform task runs on: options, mode, paths for the
/// environment, what outside systems are reachable, and the run's results.
/// Bad options fail here, before any task is registered or run.
/// </summary>
public sealed class BuildContext : FrostingContext
{
    private SpecDocument? _spec;
    private Terraform.TerraformSession? _terraform;
    private Terraform.LiveTerraform? _liveTerraform;
    private Kubernetes.Manifests.ManifestRenders? _renders;

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

    /// <summary>This run's Terraform work (workspace copy, offline plans, module tests), shared by the Phase 1 tasks.</summary>
    public Terraform.TerraformSession Terraform => _terraform ??= new Terraform.TerraformSession(this);

    /// <summary>Task 1.6's work against real AWS (one backend init per run).</summary>
    public Terraform.LiveTerraform LiveTerraform => _liveTerraform ??= new Terraform.LiveTerraform(this);

    /// <summary>This run's kustomize renders, each parsed strictly and shared by the tasks that read it.</summary>
    public Kubernetes.Manifests.ManifestRenders Renders => _renders ??= new Kubernetes.Manifests.ManifestRenders(this);

    /// <summary>
    /// The clusters this run's tenancy checks cover, one at a time: the one of
    /// --env when it was given, else every platform environment (as Validate
    /// plans dev and prod side by side). Live checks and actions use --env only.
    /// </summary>
    public IReadOnlyList<string> Clusters => Options.EnvironmentGiven ? [Options.EnvironmentName] : Tenants.TenantLayout.Clusters;

    public SpecDocument LoadSpec() => _spec ??= SpecDocument.Load(Paths.Spec, Paths.Relative(Paths.Spec));

    /// <summary>Why something needing <paramref name="needs"/> cannot run now, or null.</summary>
    public string? Missing(Needs needs) => Credentials.Missing(needs, Paths);

    /// <summary>Service the host registered (console, task catalog, engine).</summary>
    public T Service<T>() where T : class =>
        ServiceProvider.GetService(typeof(T)) as T ?? throw new InvalidOperationException($"{typeof(T).Name} is not available from the host");

    internal TaskCatalog Catalog => Service<TaskCatalog>();
}
