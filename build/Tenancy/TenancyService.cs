using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes;

namespace Platform.Build.Tenancy;

/// <summary>
/// What the tasks ask of Tenancy (Tasks 3.3, 4.1, 4.2 and the Tenants target): the tenant catalog and what is rendered from it (namespaces, quotas, AppProjects, network policies, guardrails), proven by simulation offline and applied and probed live. Tasks call these as
/// <c>c.Tenancy.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class TenancyService(BuildContext context)
{
    public Outcome AdmissionPolicies() => TenantAccessChecks.AdmissionPolicies(context);
    public Outcome DefaultDeny() => TenancyChecks.DefaultDeny(context);
    public Outcome DeployBoundaries() => TenancyChecks.DeployBoundaries(context);
    public Outcome DeployerLeastPrivilege() => TenantAccessChecks.DeployerLeastPrivilege(context);
    public Outcome ProjectsCurrent() => TenancyChecks.GeneratedCurrent(context, TenancyChecks.Projects);
    public Outcome NamespacesCurrent() => TenancyChecks.GeneratedCurrent(context, TenancyChecks.Namespaces, TenantLayout.Guardrails);
    public Outcome NetworkPoliciesCurrent() => TenancyChecks.GeneratedCurrent(context, TenancyChecks.NetworkPolicies);
    public Outcome ProjectsParse() => KubernetesChecks.RenderStrict(context, TenancyChecks.PerCluster(context, TenantLayout.Projects));
    public Outcome NamespacesParse() => KubernetesChecks.RenderStrict(context, [.. TenancyChecks.PerCluster(context, TenantLayout.Namespaces), TenantLayout.Guardrails]);
    public Outcome NetworkPoliciesParse() => KubernetesChecks.RenderStrict(context, TenancyChecks.PerCluster(context, TenantLayout.NetworkPolicies));
    public Outcome Isolation() => TenancyChecks.Isolation(context);
    public Outcome NamespaceGuardrails() => TenancyChecks.NamespaceGuardrails(context);
    public Outcome PoliciesDocumented() => TenancyChecks.PoliciesDocumented(context);
    public Outcome ProjectPermissions() => TenancyChecks.ProjectPermissions(context);
    public Outcome Render() => TenantFiles.Render(context.Paths);
    public Outcome WhoCanChangeWhat() => TenantAccessChecks.WhoCanChangeWhat(context);

    // Live: each needs what its task declares (a cluster, AWS credentials, the hosts).
    public Task<Outcome> ApplyProjects() => new TenantLive(context).Apply(TenantLayout.Projects(context.Options.EnvironmentName));
    // The guardrails first: a namespace never exists on the cluster without its admission policies.
    public async Task<Outcome> ApplyNamespaces() => Outcome.All(
        await new TenantLive(context).Apply(TenantLayout.Guardrails).ConfigureAwait(false),
        await new TenantLive(context).Apply(TenantLayout.Namespaces(context.Options.EnvironmentName)).ConfigureAwait(false));
    public Task<Outcome> ApplyNetworkPolicies() => new TenantLive(context).Apply(TenantLayout.NetworkPolicies(context.Options.EnvironmentName));
    public Task<Outcome> CrossTenantRefused(TimeSpan timeout) => new TenantLive(context).CrossTenantRefused(timeout);
    public Task<Outcome> DeployersRefused() => new TenantAccessLive(context).DeployersRefused();
    public Task<Outcome> DnsFromTenant(TimeSpan timeout) => new TenantLive(context).DnsFromTenant(timeout);
    public Task<Outcome> LimitRangesActive() => new TenantLive(context).LimitRangesActive();
    public Task<Outcome> NamespacesPresent() => new TenantLive(context).NamespacesPresent();
    public Task<Outcome> PoliciesPresent() => new TenantLive(context).PoliciesPresent();
    public Task<Outcome> ProjectsPresent() => new TenantLive(context).ProjectsPresent();
    public Task<Outcome> QuotasApplied() => new TenantLive(context).QuotasApplied();
}

public static class TenancyServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Tenancy's checks and actions for the tasks.</summary>
        public TenancyService Tenancy => new(context);
    }
}
