using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>
/// What the tasks ask of Terraform (Phase 1 (Tasks 1.1-1.6) and RollbackInfrastructure): fmt, validate, terraform test and shellcheck of the modules; the offline plans and their rules; the environments, remote state and tfvars; the live apply in two reviewed steps and its checks. Tasks call these as
/// <c>c.Terraform.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class TerraformService(BuildContext context)
{
    public Outcome EnvironmentsAgree() => TerraformChecks.EnvironmentsAgree(context);
    public Outcome ExampleTfvars() => TerraformChecks.ExampleTfvars(context);
    public Outcome ExpectedResources() => TerraformChecks.ExpectedResources(context);
    public Outcome Fmt(string folder) => TerraformChecks.Fmt(context, folder);
    public Outcome GitIgnore() => TerraformChecks.GitIgnore(context);
    public Outcome InitEnvironments() => TerraformChecks.InitEnvironments(context);
    public Outcome Layout() => TerraformChecks.Layout(context);
    public Outcome ModuleInterface(string module, string[] variables, string[] outputs) => TerraformChecks.ModuleInterface(context, module, variables, outputs);
    public Outcome ModuleReadme(string module) => TerraformChecks.ModuleReadme(context, module);
    public Outcome NothingPending() => context.LiveTerraform.NothingPending();
    public Outcome OutputsSaved() => LiveTerraform.OutputsSaved(context);
    public Outcome PinnedAndSealed() => PipelineChecks.PinnedAndSealed(context);
    public Outcome PlanOrApply() => context.LiveTerraform.PlanOrApply();
    public Outcome OnlyRequiredPorts() => TerraformChecks.Policy(context,
        p => PlanPolicy.Ports(p).Concat(PlanPolicy.WorldIngress(p)), "only kubeadm, Cilium, SSH-from-admins and load-balancer ports; nothing world-open but 80/443 on the ingress LB");
    public Outcome LeastPrivilege() => TerraformChecks.Policy(context, PlanPolicy.Iam, "no administrator policies, no wildcard actions, no wildcard resources on writes");
    public Outcome InstancesTagged() => TerraformChecks.Policy(context,
        p => PlanPolicy.InstanceTagging(p).Concat(PlanPolicy.Tagging(p)), "instances, templates and the worker group carry Name, Environment, Cluster, Role, ManagedBy", "compute");
    public Outcome InstancesHardened() => TerraformChecks.Policy(context, PlanPolicy.Instances, "IMDSv2 required (hop limit 1), encrypted gp3 roots deleted on termination, no public IPs");
    public Outcome PortsDocumented() => TerraformChecks.PortsDocumented(context);
    public Outcome ProvidersLocked() => ProviderLocks.Check(context);
    public Outcome ReadmeUsage(string readme) => TerraformChecks.ReadmeUsage(context, readme);
    public Outcome RemoteState() => TerraformChecks.RemoteState(context);
    public Outcome Rollback() => Terraform.Rollback.ToRevision(context);
    public Outcome Shellcheck(string script) => TerraformChecks.Shellcheck(context, script);
    public Outcome TagsInState() => context.LiveTerraform.TagsInState();
    public Outcome Test(string module) => TerraformChecks.Test(context, module);
    public Outcome UserTfvars() => TerraformChecks.UserTfvars(context);
    public Outcome Validate(string folder) => TerraformChecks.Validate(context, folder);
    public Outcome VersionsPinned() => TerraformChecks.VersionsPinned(context);
    public Outcome WriteDocs() => TerraformDocs.WriteAll(context);

    // Live: each needs what its task declares (a cluster, AWS credentials, the hosts).
    public Task<Outcome> NodesReachable(TimeSpan timeout) => LiveTerraform.NodesReachable(context, timeout);
}

public static class TerraformServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Terraform's checks and actions for the tasks.</summary>
        public TerraformService Terraform => new(context);
    }
}
