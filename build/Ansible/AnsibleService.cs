using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Ansible;

/// <summary>
/// What the tasks ask of Ansible (Phase 2 (Tasks 2.1-2.8)): ansible-lint, yamllint and syntax checks; the inventory script on fixtures; the role templates rendered and checked; converge in a throwaway root; the live playbook run. Tasks call these as
/// <c>c.Ansible.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class AnsibleService(BuildContext context)
{
    public IReadOnlyList<string> Workers() => InventoryChecks.Workers(context);
    public Outcome ApiServerPolicies() => TemplateChecks.ApiServerPolicies(context);
    public Outcome BadInput() => InventoryChecks.BadInput(context);
    public Outcome CheckModeConverged(string? limit = null) => AnsibleLive.CheckModeConverged(context, limit);
    public Outcome CiliumValues() => TemplateChecks.CiliumValues(context);
    public Outcome Config() => AnsibleChecks.Config(context);
    public Outcome FixturesMatch() => InventoryChecks.FixturesMatch(context);
    public Outcome Grouped() => InventoryChecks.Grouped(context);
    public Outcome KubeadmConfig() => TemplateChecks.KubeadmConfig(context);
    public Outcome Layout() => AnsibleChecks.Layout(context);
    public Outcome Lint(params string[] paths) => AnsibleChecks.Lint(context, paths);
    public Outcome MultipleControlPlanes() => TemplateChecks.MultipleControlPlanes(context);
    public Outcome Ping() => AnsibleLive.Ping(context);
    public Outcome ReadmeDocumentsVariables(string role) => AnsibleChecks.ReadmeDocumentsVariables(context, role);
    public Outcome Requirements() => AnsibleChecks.Requirements(context);
    public Outcome RoleIdempotent() => new Converge(context).RoleIdempotent();
    public Outcome RunSetup() => AnsibleLive.RunSetup(context);
    public Outcome ShowsHosts() => InventoryChecks.ShowsHosts(context);
    public Outcome SyntaxCheck(params string[] playbooks) => AnsibleChecks.SyntaxCheck(context, playbooks);
    public Outcome Variables() => InventoryChecks.Variables(context);
    public Outcome Yamllint() => AnsibleChecks.Yamllint(context);
}

public static class AnsibleServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Ansible's checks and actions for the tasks.</summary>
        public AnsibleService Ansible => new(context);
    }
}
