using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;
using Platform.Build.Tools;

namespace Platform.Build.Tests.Terraform;

/// <summary>
/// Task 1.6's live flow, with Terraform faked at the process level: it backs up
/// the state, plans and stops for review, and applies only the plan it saved.
/// </summary>
[Collection("terraform")]
public sealed class ApplyFlowTests : IDisposable
{
    private const string StateJson = "{\"version\": 4, \"serial\": 8, \"lineage\": \"5c1e6b9e-0000-4000-8000-000000000001\", \"resources\": [\"secret-bearing state\"]}";
    private readonly TerraformFixture _fixture;
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");
    private readonly FakeProcessRunner _runner = new();
    private readonly EnvironmentScope _env = new();

    public ApplyFlowTests(TerraformFixture fixture)
    {
        _fixture = fixture;

        // The seal key lives outside the artifacts (here: the test's temp repo, never this machine's home).
        _env.Set(PlanSeal.KeyVariable, null).Set(PlanSeal.KeyFileVariable, _repo.Path("keys/plan-seal.key"));
        _repo.Write("terraform/environments/dev/terraform.tfvars", File.ReadAllText(_repo.Path("terraform/environments/dev/terraform.tfvars.example")));
        _runner
            .On("state pull", 0, [StateJson])
            .On("plan ", 2, ["{\"type\":\"change_summary\",\"changes\":{\"add\":95,\"change\":0,\"remove\":0}}"], WritePlanFile)
            .On("show -no-color -json", 0, [fixture.Plans["dev"]])
            .On("show -no-color", 0, ["Terraform will perform the following actions: ..."]);
    }

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private string Seal => PlanFile + PlanSeal.Extension;

    private bool Started(string verb) => _runner.Starts.Any(s => s.Arguments.StartsWith(verb, StringComparison.Ordinal));

    private string PlanFile => _repo.Path("artifacts/terraform/dev.tfplan");

    private static void WritePlanFile(Started started)
    {
        var outFile = started.Arguments.Split(' ').First(a => a.StartsWith("-out=", StringComparison.Ordinal))[5..].Trim('"');
        File.WriteAllText(outFile, "binary plan " + Guid.NewGuid());
    }

    private Outcome Run(params string[] arguments) => new LiveTerraform(PlatformContext.Create(_repo.Root, _runner, ["--env=dev", .. arguments])).PlanOrApply();

    [Fact]
    public void Without_a_reviewed_plan_it_backs_up_plans_and_stops_for_review()
    {
        var outcome = Run();

        Assert.Equal(CheckStatus.Skipped, outcome.Status);
        Assert.Contains("planned, not applied (95 to add, 0 to change, 0 to destroy", outcome.Detail);
        Assert.Contains("--apply-plan=artifacts/terraform/dev.tfplan", outcome.Detail);
        Assert.DoesNotContain(_runner.Starts, s => s.Arguments.StartsWith("apply", StringComparison.Ordinal));
        Assert.True(File.Exists(Seal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_repo.Path("keys/plan-seal.key")));
        Assert.DoesNotContain(Directory.GetFiles(_repo.Path("artifacts"), "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains(File.ReadAllText(_repo.Path("keys/plan-seal.key")), StringComparison.Ordinal));

        var backup = Assert.Single(Directory.GetFiles(_repo.Path("artifacts/terraform/state-backups")));
        Assert.Equal(StateJson, File.ReadAllText(backup));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_repo.Path("artifacts/terraform/dev.plan.txt")));
        Assert.StartsWith("init -no-color -input=false -backend-config=\"dev.s3.tfbackend\"", _runner.Starts[0].Arguments);
    }

    [Fact]
    public void The_reviewed_plan_is_applied_and_nothing_else()
    {
        Run();
        _runner.Starts.Clear();
        _runner.On("output", 0, ["{\"cluster_name\": {\"value\": \"platform\"}}"]);

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        var apply = Assert.Single(_runner.Starts, s => s.Arguments.StartsWith("apply", StringComparison.Ordinal));
        Assert.Equal($"apply -no-color -input=false \"{PlanFile}\"", apply.Arguments);
        Assert.DoesNotContain(_runner.Starts, s => s.Arguments.StartsWith("plan", StringComparison.Ordinal));
        var outputs = _repo.Path("terraform/outputs/dev-terraform-outputs.json");
        Assert.Contains("platform", File.ReadAllText(outputs));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(outputs));
        Assert.False(File.Exists(Seal), "a plan applies once");
    }

    [Fact]
    public void A_plan_file_that_changed_since_review_is_refused()
    {
        Run();
        File.AppendAllText(PlanFile, "tampered");
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("the plan changed since it was sealed: not a plan this build saved and checked", outcome.Detail);
        Assert.False(Started("apply"));
        Assert.False(Started("init"), "refused before the backend is touched");
        Assert.False(Started("state pull"));
    }

    [Fact]
    public void A_tampered_plan_with_a_recomputed_checksum_is_refused()
    {
        // Issue 11: with an unkeyed checksum, whoever can write the artifact can reseal it.
        Run();
        File.AppendAllText(PlanFile, "tampered");
        var seal = PlanSeal.Read(Seal)!;
        var sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(PlanFile)));
        File.WriteAllText(Seal, System.Text.Json.JsonSerializer.Serialize(seal with { Sha256 = sha }));
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("its seal does not verify with this build's key", outcome.Detail);
        Assert.False(Started("apply"));
        Assert.False(Started("init"));
    }

    [Fact]
    public void A_plan_sealed_under_another_key_is_refused()
    {
        Run();
        File.Delete(_repo.Path("keys/plan-seal.key"));
        _env.Set(PlanSeal.KeyVariable, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("sealed under another key", outcome.Detail);
        Assert.False(Started("init"));
    }

    [Fact]
    public void Without_the_key_nothing_is_applied_and_the_error_says_which_key()
    {
        Run();
        File.Delete(_repo.Path("keys/plan-seal.key"));
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"no plan seal key ({_repo.Path("keys/plan-seal.key")}, or {PlanSeal.KeyVariable})", outcome.Detail);
        Assert.False(Started("init"));
    }

    [Fact]
    public void A_seal_key_others_can_read_is_refused()
    {
        Run();
        File.SetUnixFileMode(_repo.Path("keys/plan-seal.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("can be read or written by others: chmod 600 it", outcome.Detail);
    }

    [Fact]
    public void The_plan_rules_run_again_on_the_exact_plan_at_apply()
    {
        Run();
        var insecure = _fixture.Plans["dev"].Replace("\"http_tokens\":\"required\"", "\"http_tokens\":\"optional\"", StringComparison.Ordinal);
        _runner.Instead("show -no-color -json", 0, [insecure]);
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("fails the security review at apply, so nothing was applied", outcome.Detail);
        Assert.False(Started("apply"));
        Assert.Contains(_runner.Starts, s => s.Arguments.Contains($"show -no-color -json \"{PlanFile}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plan_made_against_an_older_state_is_refused()
    {
        Run();
        _runner.Instead("state pull", 0, [StateJson.Replace("\"serial\": 8", "\"serial\": 9", StringComparison.Ordinal)]);
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("was planned against state serial 8, the state is now at 9: plan again and review it", outcome.Detail);
        Assert.False(Started("apply"));
    }

    [Fact]
    public void A_misspelt_tfvars_variable_is_refused_with_the_closest_name_before_anything_runs()
    {
        // Terraform only warns, and the value falls back to its default.
        var tfvars = _repo.Read("terraform/environments/dev/terraform.tfvars");
        _repo.Write("terraform/environments/dev/terraform.tfvars", tfvars + "\nadmin_api_cidr = [\"0.0.0.0/0\"]\n");
        var line = _repo.Read("terraform/environments/dev/terraform.tfvars").Split('\n').ToList().FindIndex(l => l.StartsWith("admin_api_cidr ", StringComparison.Ordinal)) + 1;

        var outcome = Run();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal($"terraform/environments/dev/terraform.tfvars:{line}: variable 'admin_api_cidr' is not declared in dev/variables.tf: did you mean admin_api_cidrs?", outcome.Detail);
        Assert.Empty(_runner.Starts);
    }

    [Fact]
    public void The_shipped_tfvars_examples_declare_nothing_unknown()
    {
        foreach (var env in new[] { "dev", "prod" })
        {
            var folder = _repo.Path($"terraform/environments/{env}");
            Assert.Null(TfvarsNames.Undeclared(folder, Path.Combine(folder, "terraform.tfvars.example"), "example"));
        }
    }

    [Fact]
    public void A_missing_plan_file_is_refused()
    {
        var outcome = Run($"--apply-plan={_repo.Path("nowhere.tfplan")}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("the file does not exist: plan first", outcome.Detail);
        Assert.DoesNotContain(_runner.Starts, s => s.Arguments.StartsWith("apply", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plan_that_fails_the_security_review_is_discarded()
    {
        var insecure = _fixture.Plans["dev"].Replace("\"http_tokens\":\"required\"", "\"http_tokens\":\"optional\"", StringComparison.Ordinal);
        Assert.NotEqual(_fixture.Plans["dev"], insecure);
        var runner = new FakeProcessRunner()
            .On("state pull", 0, [])
            .On("plan ", 2, [], WritePlanFile)
            .On("show -no-color -json", 0, [insecure])
            .On("show -no-color", 0, ["..."]);

        var outcome = new LiveTerraform(PlatformContext.Create(_repo.Root, runner, "--env=dev")).PlanOrApply();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("fails the security review", outcome.Detail);
        Assert.False(File.Exists(PlanFile));
    }

    [Fact]
    public void Terraform_errors_in_the_live_plan_are_one_line_each()
    {
        var runner = new FakeProcessRunner()
            .On("state pull", 0, [])
            .On("plan ", 1, ["{\"@level\":\"error\",\"type\":\"diagnostic\",\"diagnostic\":{\"severity\":\"error\",\"summary\":\"Invalid value for variable\",\"detail\":\"vpc_cidr must be a valid CIDR block, e.g. 10.20.0.0/16.\\n\\nThis was checked by the validation rule at variables.tf:20,3-13.\",\"range\":{\"filename\":\"terraform.tfvars\",\"start\":{\"line\":9}},\"snippet\":{\"code\":\"vpc_cidr = \\\"10.20.0.0/33\\\"\"}}}"]);

        var outcome = new LiveTerraform(PlatformContext.Create(_repo.Root, runner, "--env=dev")).PlanOrApply();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Equal("terraform/environments/dev/terraform.tfvars:9: variable vpc_cidr: Invalid value for variable: vpc_cidr must be a valid CIDR block, e.g. 10.20.0.0/16.", outcome.Detail);
    }

    [Fact]
    public void A_prod_plan_cannot_be_applied_under_dev()
    {
        _repo.Write("terraform/environments/prod/terraform.tfvars", File.ReadAllText(_repo.Path("terraform/environments/prod/terraform.tfvars.example")));
        var prod = new LiveTerraform(PlatformContext.Create(_repo.Root, _runner, "--env=prod", "--confirm=prod")).PlanOrApply();
        Assert.Equal(CheckStatus.Skipped, prod.Status);
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={_repo.Path("artifacts/terraform/prod.tfplan")}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("was planned for prod in terraform/environments/prod, not for dev in terraform/environments/dev", outcome.Detail);
        Assert.Contains("--env=prod --confirm=prod", outcome.Detail);
        Assert.DoesNotContain(_runner.Starts, s => s.Arguments.StartsWith("apply", StringComparison.Ordinal));
    }

    [Fact]
    public void The_saved_plan_is_readable_by_its_owner_only()
    {
        Run();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PlanFile));
    }

    [Fact]
    public void Private_files_are_created_private()
    {
        var path = _repo.Path("secret.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        SafeFile.WritePrivate(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
