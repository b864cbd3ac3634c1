using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>The CI workflow held to its rules: actions pinned by commit, plans sealed on both sides and moved integrity-protected.</summary>
public sealed class PipelineTests : IDisposable
{
    private const string Workflow = ".github/workflows/platform.yml";
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", ".github");

    public void Dispose() => _repo.Dispose();

    private Outcome Check() => PipelineChecks.PinnedAndSealed(PlatformContext.Create(_repo.Root));

    private void Edit(string find, string replace)
    {
        var text = _repo.Read(Workflow);
        Assert.Contains(find, text);
        _repo.Write(Workflow, text.Replace(find, replace, StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_workflow_passes() => Assert.Equal(CheckStatus.Passed, Check().Status);

    [Fact]
    public void An_action_pinned_by_tag_is_named_with_its_line()
    {
        var text = _repo.Read(Workflow);
        _repo.Write(Workflow, text.Replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2", "actions/checkout@v4", StringComparison.Ordinal));
        var line = _repo.Read(Workflow).Split('\n').ToList().FindIndex(l => l.Contains("actions/checkout@v4", StringComparison.Ordinal)) + 1;

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"{Workflow}:{line}: actions/checkout@v4 is not pinned to a commit", outcome.Detail);
    }

    [Fact]
    public void A_plan_moved_with_unauthenticated_encryption_is_named()
    {
        Edit("printf '%s' \"$PLAN_KEY\" | gpg --batch --yes --quiet --pinentry-mode loopback --passphrase-fd 0 \\\n            --symmetric",
            "openssl enc -aes-256-cbc -pbkdf2 -salt -pass env:PLAN_KEY -in x -out y\n          gpg --symmetric");

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("moves the plan with unauthenticated encryption", outcome.Detail);
    }

    [Fact]
    public void An_apply_step_without_the_seal_key_is_named()
    {
        Edit("        env:\n          PLATFORM_PLAN_SEAL_KEY: ${{ secrets.PLAN_SEAL_KEY }}\n        run: ./build.sh --target=Checkpoint1", "        run: ./build.sh --target=Checkpoint1");

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("PLATFORM_PLAN_SEAL_KEY must be given to both the planning and the applying step", outcome.Detail);
    }
}
