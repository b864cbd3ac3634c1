using Xunit;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>
/// The offline plans of dev and prod, made once by the real build
/// (<c>--target=CreateDevelopmentEnvironment --exclusive</c>) on a copy of the
/// tracked sources, and shared by the Terraform test classes.
/// </summary>
public sealed class TerraformFixture : IDisposable
{
    public TerraformFixture()
    {
        Repo = TempRepo.WithTracked("specs", "terraform", "README.md");
        using var env = EnvironmentScope.WithoutAws();
        Result = BuildRun.Platform("--target=CreateDevelopmentEnvironment", "--exclusive", $"--working={Repo.Root}");
        foreach (var environment in TerraformSession.Environments)
        {
            var json = Repo.Path($"artifacts/terraform/{environment}.offline.plan.json");
            if (!File.Exists(json))
            {
                throw new InvalidOperationException($"no {environment} plan (is Terraform pointed at a provider mirror? run tests/run.sh):\n{Result.Output}");
            }

            Plans[environment] = File.ReadAllText(json);
        }
    }

    public TempRepo Repo { get; }

    public RunResult Result { get; }

    public Dictionary<string, string> Plans { get; } = [];

    public PlanDocument Plan(string environment) => PlanDocument.Parse(Plans[environment], $"{environment} plan");

    public void Dispose() => Repo.Dispose();
}

[CollectionDefinition("terraform")]
public sealed class TerraformCollection : ICollectionFixture<TerraformFixture>;
