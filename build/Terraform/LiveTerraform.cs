using System.Text.Json;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>
/// Task 1.6 against real AWS, in the environment's own folder with its S3
/// backend: back up the state, plan, and apply only a plan this build saved
/// and the user reviewed; then write the outputs the Ansible inventory reads.
/// </summary>
public sealed partial class LiveTerraform
{
    private readonly BuildContext _context;

    private readonly string _target;

    private ToolResult? _init;

    /// <summary>The environment's own folder (Task 1.6).</summary>
    public LiveTerraform(BuildContext context)
        : this(context, context.Paths.Combine($"terraform/environments/{context.Options.EnvironmentName}"), context.Options.EnvironmentName, "ApplyInfrastructure")
    {
    }

    /// <summary>Another copy of the environment (the rollback's earlier revision), with its own plan name and target.</summary>
    public LiveTerraform(BuildContext context, string folder, string planName, string target)
    {
        _context = context;
        Folder = folder;
        _target = target;
        PlanFile = Path.Combine(Output, $"{planName}.tfplan");
    }

    private string Environment => _context.Options.EnvironmentName;

    private string Folder { get; }

    private string Relative => _context.Paths.Relative(Folder);

    private string VarFile => Path.Combine(Folder, "terraform.tfvars");

    private string Output => Path.Combine(_context.Paths.Artifacts, "terraform");

    public string PlanFile { get; }

    /// <summary>The action: plan and stop for review, or apply the reviewed plan given by --apply-plan.</summary>
    public Outcome PlanOrApply()
    {
        if (_context.Options.ApplyPlan is { } reviewed)
        {
            return ApplyReviewed(reviewed);
        }

        if (Prepare() is { } problem)
        {
            return problem;
        }

        var (backup, state) = BackUpState();
        return PlanForReview(backup, state);
    }

    /// <summary>
    /// The reviewed plan, and only if everything about it still holds: its seal (bytes,
    /// environment, folder; checked before the backend is touched), the plan rules on
    /// these very bytes, and the state it was planned against (serial and lineage).
    /// </summary>
    private Outcome ApplyReviewed(string reviewed)
    {
        var shown = _context.Paths.Relative(reviewed);
        if (!File.Exists(reviewed))
        {
            return Outcome.Fail($"--apply-plan={shown}: the file does not exist: plan first (./build.sh --target={_target} --env={Environment}{Revision})");
        }

        var (key, keyProblem) = PlanSeal.Key(_context.Environment, create: false);
        if (key is null)
        {
            return Outcome.Fail($"--apply-plan={shown}: {keyProblem}");
        }

        var seal = PlanSeal.Read(reviewed + PlanSeal.Extension);
        if (PlanSeal.Refusal(key, seal, reviewed, Environment, Relative) is { } refusal)
        {
            // A saved plan carries its own backend: a prod plan applied under --env=dev would change prod unconfirmed.
            var hint = seal is not null && seal.Environment != Environment
                ? $": apply it with --env={seal.Environment}{(seal.Environment == "prod" ? " --confirm=prod" : string.Empty)} and the target that planned it"
                : ": plan again and review it";
            return Outcome.Fail($"--apply-plan={shown} {refusal}{hint}");
        }

        if (Prepare() is { } problem)
        {
            return problem;
        }

        // The plan rules once more, on the exact plan that will be applied.
        var json = _context.TerraformShow(new TerraformShowSettings { WorkingDirectory = Folder, PlanFile = reviewed, SensitiveOutput = true });
        if (!json.Succeeded)
        {
            return Outcome.Fail($"terraform show {shown}: exit {json.ExitCode}");
        }

        var findings = PlanPolicy.All(PlanDocument.Parse(json.Text, shown));
        if (findings.Count > 0)
        {
            return Outcome.Fail($"--apply-plan={shown} fails the security review at apply, so nothing was applied: {string.Join("; ", findings.Take(5))}");
        }

        var (backup, state) = BackUpState();
        if (state.Serial != seal!.StateSerial || state.Lineage != seal.StateLineage)
        {
            return Outcome.Fail($"--apply-plan={shown} was planned against state serial {seal.StateSerial?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, the state is now at {state.Serial?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}{(state.Lineage != seal.StateLineage ? " of another lineage" : string.Empty)}: plan again and review it");
        }

        return Apply(reviewed, backup);
    }

    /// <summary>"All resources created successfully": a live plan has nothing left to do.</summary>
    public Outcome NothingPending()
    {
        if (Prepare() is { } problem)
        {
            return problem;
        }

        var plan = Plan(outFile: null);
        return plan.Result.ExitCode switch
        {
            0 => Outcome.Pass($"{Relative}: the live plan is empty; everything in the configuration exists"),
            2 => Outcome.Fail($"{Relative}: {Summary(plan.Result)} pending: not applied yet, or drifted (run --target=ApplyInfrastructure)"),
            _ => Outcome.Fail(Errors(plan.Result)),
        };
    }

    /// <summary>"Resources tagged correctly": the tag rules on the applied state.</summary>
    public Outcome TagsInState()
    {
        if (Prepare() is { } problem)
        {
            return problem;
        }

        var show = _context.TerraformShow(new TerraformShowSettings { WorkingDirectory = Folder, SensitiveOutput = true });
        if (!show.Succeeded)
        {
            return Outcome.Fail($"terraform show: exit {show.ExitCode}");
        }

        var state = PlanDocument.Parse(show.Text, $"{Relative} state");
        if (state.Resources.Count == 0)
        {
            return Outcome.Fail($"{Relative}: the state is empty: nothing has been applied");
        }

        var findings = PlanPolicy.Tagging(state).Concat(PlanPolicy.InstanceTagging(state)).Select(f => f.Text).ToList();
        return Outcome.FromFindings(findings, $"{state.Resources.Count(r => r.Mode == "managed")} resources in the state carry their tags");
    }

    /// <summary>The user's tfvars exists and the real backend initialises (once per run).</summary>
    private Outcome? Prepare()
    {
        if (!File.Exists(VarFile))
        {
            var example = _context.Paths.Relative(_context.Paths.Combine($"terraform/environments/{Environment}/terraform.tfvars.example"));
            return Outcome.Fail($"{_context.Paths.Relative(VarFile)} not found: copy {example} to it and fill in the values");
        }

        if (TfvarsNames.Undeclared(Folder, VarFile, _context.Paths.Relative(VarFile)) is { } misspelt)
        {
            return Outcome.Fail(misspelt);
        }

        _init ??= _context.TerraformInit(new TerraformInitSettings
        {
            WorkingDirectory = Folder,
            BackendConfigFile = $"{Environment}.s3.tfbackend",
            PluginDir = _context.Options.TerraformPluginDir,
            Reconfigure = true,
        });
        return _init.Succeeded ? null : Outcome.Fail($"{Relative}: terraform init with the S3 backend failed: {TerraformSession.InitHint(_init)}");
    }

    /// <summary>
    /// The state as it is before anything changes, in a 0600 file (it holds secrets), and
    /// its serial and lineage (what a plan is sealed against). No file when there is no state yet.
    /// </summary>
    private (string? Backup, (long? Serial, string? Lineage) State) BackUpState()
    {
        var pulled = _context.TerraformStatePull(new TerraformStatePullSettings { WorkingDirectory = Folder });
        pulled.EnsureSuccess();
        if (pulled.Output.Count == 0 || string.IsNullOrWhiteSpace(pulled.Text))
        {
            return (null, (null, null));
        }

        var folder = Path.Combine(Output, "state-backups");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Environment}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.tfstate");
        SafeFile.WritePrivate(path, pulled.Text);
        return (_context.Paths.Relative(path), PlanSeal.StateVersion(pulled.Text));
    }

    private Outcome PlanForReview(string? backup, (long? Serial, string? Lineage) state)
    {
        var (key, keyProblem) = PlanSeal.Key(_context.Environment, create: true);
        if (key is null)
        {
            return Outcome.Fail($"cannot seal the plan: {keyProblem}");
        }

        Directory.CreateDirectory(Output);
        var plan = Plan(PlanFile);
        if (!plan.Succeeded)
        {
            return Outcome.Fail(Errors(plan.Result));
        }

        var text = _context.TerraformShow(new TerraformShowSettings { WorkingDirectory = Folder, PlanFile = PlanFile, Json = false, SensitiveOutput = true });
        var json = _context.TerraformShow(new TerraformShowSettings { WorkingDirectory = Folder, PlanFile = PlanFile, SensitiveOutput = true });
        var textFile = Path.ChangeExtension(PlanFile, ".plan.txt");
        SafeFile.WritePrivate(textFile, text.Text);
        SafeFile.WritePrivate(Path.ChangeExtension(PlanFile, ".plan.json"), json.Text);

        var findings = PlanPolicy.All(PlanDocument.Parse(json.Text, _context.Paths.Relative(PlanFile)));
        if (findings.Count > 0)
        {
            File.Delete(PlanFile);
            return Outcome.Fail($"the plan fails the security review, so it was discarded: {string.Join("; ", findings.Take(5))}");
        }

        SafeFile.MakePrivate(PlanFile); // a plan carries the prior state and the variables' values
        PlanSeal.Write(PlanFile + PlanSeal.Extension, PlanSeal.Create(key, Environment, Relative, state.Serial, state.Lineage, PlanFile));
        var saved = backup is null ? "no state yet" : $"state backed up to {backup}";
        if (!plan.HasChanges)
        {
            return WriteOutputs($"no changes to apply ({saved})");
        }

        return Outcome.Skip(
            $"planned, not applied ({Summary(plan.Result)}; {saved}): review {_context.Paths.Relative(textFile)}, then run " +
            $"./build.sh --target={_target} --env={Environment}{(Environment == "prod" ? " --confirm=prod" : string.Empty)}{Revision} --apply-plan={_context.Paths.Relative(PlanFile)}");
    }

    private string Revision => _context.Options.Revision is { } revision ? $" --revision={revision}" : string.Empty;

    private Outcome Apply(string reviewed, string? backup)
    {
        var shown = _context.Paths.Relative(reviewed);
        var sidecar = reviewed + PlanSeal.Extension;
        var apply = _context.TerraformApply(new TerraformApplySettings { WorkingDirectory = Folder, PlanFile = reviewed, StreamOutput = true });
        if (!apply.Succeeded)
        {
            return Outcome.Fail($"terraform apply {shown} failed: {apply.Tail()}{(backup is null ? string.Empty : $" (the state before it: {backup}; see ./build.sh --target=RollbackInfrastructure)")}");
        }

        File.Delete(sidecar); // a plan applies once; terraform refuses it afterwards anyway
        return WriteOutputs($"applied {shown}{(backup is null ? string.Empty : $" (state backed up to {backup})")}");
    }

    private Outcome WriteOutputs(string done)
    {
        var outputs = _context.TerraformOutput(new TerraformOutputSettings { WorkingDirectory = Folder });
        if (!outputs.Succeeded)
        {
            return Outcome.Fail($"{done}, but terraform output failed: exit {outputs.ExitCode}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(_context.Paths.TerraformOutputs)!);
        SafeFile.WritePrivate(_context.Paths.TerraformOutputs, outputs.Text);
        return Outcome.Pass($"{done}; outputs saved to {_context.Paths.Relative(_context.Paths.TerraformOutputs)}");
    }

    private TerraformPlanResult Plan(string? outFile) =>
        _context.TerraformPlan(new TerraformPlanSettings
        {
            WorkingDirectory = Folder,
            OutFile = outFile,
            VarFiles = { VarFile },
            Json = true,
            StreamOutput = false,
        });

    private string Errors(ToolResult result)
    {
        var errors = TerraformDiagnostics.Errors(result.Output, Folder, _context.Paths.Relative, VarFile);
        return errors.Count > 0 ? string.Join("; ", errors) : result.Tail();
    }

    /// <summary>"2 to add, 0 to change, 0 to destroy" from the plan's JSON summary.</summary>
    private static string Summary(ToolResult result)
    {
        foreach (var line in result.Output.Where(l => l.Contains("\"change_summary\"", StringComparison.Ordinal)))
        {
            using var json = JsonDocument.Parse(line);
            var changes = json.RootElement.GetProperty("changes");
            return $"{changes.GetProperty("add").GetInt32()} to add, {changes.GetProperty("change").GetInt32()} to change, {changes.GetProperty("remove").GetInt32()} to destroy";
        }

        return "changes";
    }
}
