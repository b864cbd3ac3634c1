using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.2")]
[TaskDescription("Task 2.2: Create Dynamic Inventory from Terraform - inventory script reading the Terraform outputs of --env")]
[IsDependentOn(typeof(Phase1.ApplyInfrastructure))]
[IsDependentOn(typeof(InitializeAnsibleProject))]
public sealed class CreateDynamicInventory : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Offline("`ansible-inventory --list` shows hosts", c => c.Ansible.ShowsHosts())
            .Offline("Hosts grouped correctly", c => c.Ansible.Grouped())
            .Offline("Variables accessible", c => c.Ansible.Variables())
            .Live("Can ping all hosts: `ansible all -m ping`", Needs.Hosts, c => Task.FromResult(c.Ansible.Ping()))
            .Offline("Bad outputs files are one-line errors", c => c.Ansible.BadInput())
            .Offline("The fixtures have every output the environments declare", c => c.Ansible.FixturesMatch());
}
