using Platform.Build.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;
using Xunit;

namespace Platform.Build.Tests.Terraform;

/// <summary>
/// Task 1.6's live flow, with Terraform faked at the process level: it backs up
/// the state, plans and stops for review, and applies only the plan it saved.
/// </summary>
[Collection("terraform")]
public sealed class ApplyFlowTests : IDisposable
{
    private const string StateJson = "{\"version\": 4, \"resources\": [\"secret-bearing state\"]}";
    private readonly TerraformFixture _fixture;
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");
    private readonly FakeProcessRunner _runner = new();

    public ApplyFlowTests(TerraformFixture fixture)
    {
        _fixture = fixture;
        _repo.Write("terraform/environments/dev/terraform.tfvars", File.ReadAllText(_repo.Path("terraform/environments/dev/terraform.tfvars.example")));
        _runner
            .On("state pull", 0, [StateJson])
            .On("plan ", 2, ["{\"type\":\"change_summary\",\"changes\":{\"add\":95,\"change\":0,\"remove\":0}}"], WritePlanFile)
            .On("show -no-color -json", 0, [fixture.Plans["dev"]])
            .On("show -no-color", 0, ["Terraform will perform the following actions: ..."]);
    }

    public void Dispose() => _repo.Dispose();

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
        Assert.True(File.Exists(PlanFile + ".sha256"));

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
        Assert.False(File.Exists(PlanFile + ".sha256"), "a plan applies once");
    }

    [Fact]
    public void A_plan_file_that_changed_since_review_is_refused()
    {
        Run();
        File.AppendAllText(PlanFile, "tampered");
        _runner.Starts.Clear();

        var outcome = Run($"--apply-plan={PlanFile}");

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("not a plan this build saved and checked", outcome.Detail);
        Assert.DoesNotContain(_runner.Starts, s => s.Arguments.StartsWith("apply", StringComparison.Ordinal));
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
        Assert.Contains("was planned for prod in terraform/environments/prod, not for dev", outcome.Detail);
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

        LiveTerraform.WritePrivate(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
