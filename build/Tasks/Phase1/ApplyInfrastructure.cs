using Platform.Build.Checks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.6")]
[TaskDescription("Task 1.6: Apply Development Infrastructure - state backup, plan -out, apply of that saved plan, outputs for Ansible (--env)")]
[IsDependentOn(typeof(CreateDevelopmentEnvironment))]
public sealed class ApplyInfrastructure : SeedTask
{
    /// <summary>Not implemented yet: the phase issue fills it in (reported Failed in live runs, Skipped in Validate).</summary>
    public override PlatformAction Action => new("apply the reviewed Terraform plan of the environment", Needs.AwsCredentials);
}
