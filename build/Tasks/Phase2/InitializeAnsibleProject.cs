using Platform.Build.Ansible;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;

namespace Platform.Build.Tasks.Phase2;

[SeedTask("2.1")]
[TaskDescription("Task 2.1: Initialize Ansible Project Structure - ansible.cfg, pinned collections, ansible-lint config")]
public sealed class InitializeAnsibleProject : SeedTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Reads(AnsibleInputs.All)
            .Offline("Directory structure created", c => c.Ansible.Layout())
            .Offline("ansible.cfg configured", c => c.Ansible.Config())
            .Offline("Requirements file lists needed collections", c => c.Ansible.Requirements())
            .Lint("`yamllint` passes over ansible/", c => c.Ansible.Yamllint());
}
