using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>An offline plan of an environment: the plan, or the errors that stopped it (one line each).</summary>
public sealed record OfflinePlan(string Environment, PlanDocument? Plan, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Plan is not null;
}

/// <summary>
/// The Terraform work of one build run, done once and shared by the tasks
/// that check it: the workspace copy, each environment's offline plan (both
/// planned together, they are independent), each module's terraform test.
/// </summary>
public sealed class TerraformSession(BuildContext context)
{
    public static readonly string[] Environments = ["dev", "prod"];

    private readonly Dictionary<string, OfflinePlan> _plans = [];
    private Dictionary<string, Task<ToolResult>>? _tests;
    private Dictionary<string, Task<ToolResult>>? _validations;

    public TerraformWorkspace Workspace { get; } = new(context);

    /// <summary>Where plans and their JSON are saved.</summary>
    public string Output => Path.Combine(context.Paths.Artifacts, "terraform");

    /// <summary>The offline plans of every environment from its terraform.tfvars.example.</summary>
    public IReadOnlyList<OfflinePlan> PlanAll()
    {
        var missing = Environments.Where(e => !_plans.ContainsKey(e)).ToList();
        if (missing.Count > 0)
        {
            // Init one at a time (the workspace is shared), then plan side by side.
            var inits = missing.ToDictionary(e => e, e => Workspace.Init($"environments/{e}"));
            var plans = missing
                .Select(e => Task.Run(() => inits[e].Succeeded ? Plan(e, Example(e), $"{e}.offline") : InitFailed(e, inits[e])))
                .ToArray();
            Task.WaitAll(plans);
            foreach (var plan in plans.Select(t => t.Result))
            {
                _plans[plan.Environment] = plan;
            }
        }

        return [.. Environments.Select(e => _plans[e])];
    }

    public OfflinePlan PlanOf(string environment) => PlanAll().Single(p => p.Environment == environment);

    /// <summary>An offline plan of an environment with another variables file (a user's terraform.tfvars); not cached.</summary>
    public OfflinePlan PlanWith(string environment, string varFile)
    {
        var init = Workspace.Init($"environments/{environment}");
        return init.Succeeded ? Plan(environment, varFile, $"{environment}.tfvars-check") : InitFailed(environment, init);
    }

    /// <summary>
    /// <c>terraform test</c> of a module (mock provider; no credentials). The
    /// first call starts the tests of every module side by side: they are
    /// independent and dominate the Terraform checks' time (bench/terraform.sh).
    /// </summary>
    public ToolResult Test(string module) =>
        Started(ref _tests, "test", $"modules/{module}",
            context.LoadSpec().FoldersUnder("terraform/modules/").Where(m => Directory.Exists(context.Paths.Combine($"terraform/modules/{m}"))).Select(m => $"modules/{m}"),
            folder => context.TerraformTest(new TerraformTestSettings { WorkingDirectory = Workspace.Directory(folder) }));

    /// <summary><c>terraform validate</c> of a folder of the copy; the first call validates every module and environment side by side.</summary>
    public ToolResult Validate(string folder) =>
        Started(ref _validations, "validate", folder,
            context.LoadSpec().FoldersUnder("terraform/modules/").Select(m => $"modules/{m}").Concat(Environments.Select(e => $"environments/{e}")).Where(f => Directory.Exists(context.Paths.Combine($"terraform/{f}"))),
            f => context.TerraformValidate(new TerraformValidateSettings { WorkingDirectory = Workspace.Directory(f) }));

    /// <summary>
    /// The run of <paramref name="folder"/>, started on first use. The first
    /// call also starts, side by side, the folders likely to be asked for next
    /// (<see cref="Likely"/>); any other folder starts when it is asked for.
    /// </summary>
    private ToolResult Started(ref Dictionary<string, Task<ToolResult>>? started, string kind, string folder, IEnumerable<string> folders, Func<string, ToolResult> run)
    {
        if (started is null)
        {
            started = [];
            foreach (var likely in Likely(kind, folder, [.. folders]))
            {
                started[likely] = Start(likely, run);
            }
        }

        if (!started.TryGetValue(folder, out var task))
        {
            task = started[folder] = Start(folder, run);
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Inits the folder (one at a time: the workspace is shared), then runs <paramref name="run"/> on it in the background.</summary>
    private Task<ToolResult> Start(string folder, Func<string, ToolResult> run)
    {
        var init = Workspace.Init(folder);
        return init.Succeeded ? Task.Run(() => run(folder)) : Task.FromResult(init);
    }

    /// <summary>
    /// Which folders to start side by side: all of them on a first run, or when
    /// the asked-for folder itself did not change (something every folder
    /// reads did: the tools, the build); else those whose files changed since
    /// the last run. A hint for speed only: the result cache decides what is
    /// asked for, and a folder not started here starts when it is.
    /// </summary>
    private IReadOnlyList<string> Likely(string kind, string folder, IReadOnlyList<string> folders)
    {
        var hint = Path.Combine(Output, $"side-by-side-{kind}.json");
        var now = folders.ToDictionary(f => f, f => Workspace.FolderHash(f));
        Dictionary<string, string>? before = null;
        try
        {
            before = File.Exists(hint) ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(hint)) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // an unreadable hint is no hint
        }

        Directory.CreateDirectory(Output);
        File.WriteAllText(hint, System.Text.Json.JsonSerializer.Serialize(now));
        var changed = folders.Where(f => before is null || !before.TryGetValue(f, out var old) || old != now[f]).ToList();
        return before is null || !changed.Contains(folder) ? folders : changed;
    }

    private string Example(string environment) => Path.Combine(Workspace.Directory($"environments/{environment}"), "terraform.tfvars.example");

    private OfflinePlan InitFailed(string environment, ToolResult init) =>
        new(environment, null, [$"terraform/environments/{environment}: terraform init failed: {InitHint(init)}"]);

    private OfflinePlan Plan(string environment, string varFile, string name)
    {
        var directory = Workspace.Directory($"environments/{environment}");
        Directory.CreateDirectory(Output);
        var planFile = Path.Combine(Output, $"{name}.tfplan");
        var plan = context.TerraformPlan(new TerraformPlanSettings
        {
            WorkingDirectory = directory,
            OutFile = planFile,
            VarFiles = { varFile },
            LockState = false,
            Json = true,
        });
        if (!plan.Succeeded)
        {
            var errors = TerraformDiagnostics.Errors(plan.Result.Output, directory, Workspace.ToSource, varFile);
            return new OfflinePlan(environment, null, errors.Count > 0 ? errors : [plan.Result.Tail()]);
        }

        var show = context.TerraformShow(new TerraformShowSettings { WorkingDirectory = directory, PlanFile = planFile });
        if (!show.Succeeded)
        {
            return new OfflinePlan(environment, null, [$"terraform show: {show.Tail()}"]);
        }

        var jsonPath = Path.Combine(Output, $"{name}.plan.json");
        File.WriteAllText(jsonPath, show.Text);
        return new OfflinePlan(environment, PlanDocument.Parse(show.Text, context.Paths.Relative(jsonPath)), []);
    }

    /// <summary>The usual cause of an offline init failure, said plainly.</summary>
    public static string InitHint(ToolResult init)
    {
        if (!(init.Text + string.Join(' ', init.Error)).Contains("registry.terraform.io", StringComparison.Ordinal))
        {
            return init.Tail();
        }

        var config = System.Environment.GetEnvironmentVariable("TF_CLI_CONFIG_FILE");
        var broken = string.IsNullOrEmpty(config) || File.Exists(config) ? string.Empty : $" (TF_CLI_CONFIG_FILE={config} does not exist)";
        return $"no provider available offline{broken}: pass --terraform-plugin-dir=DIR or set TF_CLI_CONFIG_FILE to a CLI config with a filesystem_mirror";
    }
}
