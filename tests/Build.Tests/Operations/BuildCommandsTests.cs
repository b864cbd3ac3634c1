using Xunit;
using Platform.Build.Core.Graph;
using Platform.Build.Operations;

namespace Platform.Build.Tests.Operations;

/// <summary>
/// The resolver of documented build commands: the commands an operator copies
/// from the runbook must be ones the build accepts, and each way the build would
/// refuse one is found here, before 3 a.m.
/// </summary>
public sealed class BuildCommandsTests
{
    private static readonly TaskCatalog Catalog = TaskCatalog.Of(typeof(BuildCommands).Assembly);

    private static IReadOnlyList<string> Problems(string text) => BuildCommands.Problems(Catalog, BuildCommands.In("doc.md", text));

    [Theory]
    [InlineData("./build.sh --target=Validate")]
    [InlineData("./build.sh")]
    [InlineData("./build.sh --target=DeployApp --env=prod --confirm=prod --kubeconfig=.secrets/prod/kubeconfig")]
    [InlineData("./build.sh --target=UpgradeCluster --env=<env> --to=1.33.2")]
    [InlineData("./build.sh --target=RemoveNode --env=dev --node=<inventory-hostname>")]
    [InlineData("./build.sh --target=RestoreEtcd --env=prod --confirm=prod --snapshot=FILE")]
    [InlineData("./build.sh --target=Checkpoint2 --dryrun   # lists the tasks")]
    [InlineData("`./build.sh --target=Checkpoint2 --env=prod --tree`")]
    [InlineData("./build.sh --target=RollbackInfrastructure --env=dev --revision=HEAD~1 --apply-plan=artifacts/terraform/dev.tfplan")]
    [InlineData("./build.sh --target=Checkpoint3 --exclusive --env=prod --info")]
    [InlineData("./build.sh --target=RollbackApp --env=prod --confirm=prod --revision=N --kubeconfig=\"$RUNNER_TEMP/kubeconfig\"")]
    public void A_command_the_build_accepts_resolves(string command) => Assert.Empty(Problems(command));

    [Theory]
    [InlineData("./build.sh --target=DeployAp", "the target 'DeployAp' was not found: did you mean 'DeployApp'")]
    [InlineData("./build.sh --target=Validate --confrim=prod", "unknown option --confrim: did you mean --confirm?")]
    [InlineData("./build.sh --target=Validate --env=production", "--env=production is not valid: use --env=dev or --env=prod")]
    [InlineData("./build.sh --target=Validate --env=PROD", "--env=PROD is not valid: did you mean --env=prod?")]
    [InlineData("./build.sh --target=DeployApp --env", "--env needs a value")]
    [InlineData("./build.sh --target=UpgradeCluster --to", "--to needs a value")]
    [InlineData("./build.sh --target=UpgradeCluster --to=1.33.1 --to=1.33.2", "--to is given 2 times")]
    [InlineData("./build.sh --target=Validate --parallel=0", "--parallel=0 is not valid")]
    [InlineData("./build.sh --target=Validate --no-cache=yes", "--no-cache=yes is not valid")]
    [InlineData("./build.sh --target=RemoveNode --node=Worker_1", "--node=Worker_1 is not valid")]
    [InlineData("./build.sh --target=DeployApp --env=prod", "refusing to change prod without --confirm=prod")]
    [InlineData("./build.sh --target=UpgradeCluster --env=prod --to=1.33.2", "refusing to change prod without --confirm=prod")]
    [InlineData("./build.sh --target=DeployApp --env=dev --confirm=prod", "--confirm=prod does not match --env=dev")]
    [InlineData("./build.sh --target=UpgradeCluster --to=1.33", "--to=1.33 is not valid: give the exact version")]
    [InlineData("./build.sh --target=Validate --node=worker-1", "--node is read only by RemoveNode")]
    [InlineData("./build.sh --target=Checkpoint1 --snapshot=FILE", "--snapshot is read only by RestoreEtcd")]
    [InlineData("./build.sh --target=Validate --verbosity=loud", "--verbosity=loud")]
    [InlineData("./build.sh --target=Validate extra", "'extra' is not an option")]
    public void A_command_the_build_would_refuse_is_found(string command, string problem) =>
        Assert.Contains(Problems(command), p => p.Contains(problem, StringComparison.Ordinal));

    [Fact]
    public void A_continued_line_is_one_command_and_its_line_is_named()
    {
        var commands = BuildCommands.In("RUNBOOK.md", "text\n```bash\n./build.sh --target=DeployApp \\\n  --env=prod\n```\n");

        var command = Assert.Single(commands);
        Assert.Equal(3, command.Line);
        Assert.Equal("./build.sh --target=DeployApp --env=prod", command.Text);
        Assert.StartsWith("RUNBOOK.md:3: `./build.sh --target=DeployApp --env=prod`: refusing to change prod without --confirm=prod: ",
            Assert.Single(BuildCommands.Problems(Catalog, commands)));
    }
}
