using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Terraform;

namespace Platform.Build.Tasks.Phase1;

[SeedTask("1.4")]
[TaskDescription("Task 1.4: Create Security Module - security groups for control plane, workers and the load balancers")]
[IsDependentOn(typeof(InitializeTerraformProject))]
public sealed class CreateSecurityModule : SeedTask
{
    public override IReadOnlyList<string> Files =>
    [
        "terraform/modules/security/main.tf",
        "terraform/modules/security/variables.tf",
        "terraform/modules/security/outputs.tf",
        "terraform/modules/security/versions.tf",
        "terraform/modules/security/README.md",
        "terraform/modules/security/tests/security.tftest.hcl",
    ];

    protected override void Define(Checklist checklist) =>
        checklist
            .Offline("Only required ports open", c => TerraformChecks.Policy(c,
                p => PlanPolicy.Ports(p).Concat(PlanPolicy.WorldIngress(p)), "only kubeadm, Cilium, SSH-from-admins and load-balancer ports; nothing world-open but 80/443 on the ingress LB"))
            .Offline("Follows least-privilege principle", c => TerraformChecks.Policy(c,
                PlanPolicy.Iam, "no administrator policies, no wildcard actions, no wildcard resources on writes"))
            .Offline("Documented in README", c => Outcome.All(TerraformChecks.PortsDocumented(c), TerraformChecks.ModuleReadme(c, "security")))
            .Lint("`terraform fmt -check` passes", c => TerraformChecks.Fmt(c, "terraform/modules/security"))
            .Offline("`terraform validate` passes", c => TerraformChecks.Validate(c, "modules/security"))
            .Offline("`terraform test` passes", c => TerraformChecks.Test(c, "security"));
}
