using Platform.Build.Context;
using Platform.Build.Tools;

namespace Platform.Build.Checks;

/// <summary>Offline Ansible checks shared by the Phase 2 tasks.</summary>
public static class AnsibleChecks
{
    /// <summary>ansible-lint (production profile, offline) over paths relative to ansible/.</summary>
    public static Outcome Lint(BuildContext context, params string[] paths)
    {
        var absent = paths.Where(p => !Path.Exists(Path.Combine(context.Paths.Ansible, p))).ToList();
        if (absent.Count > 0)
        {
            return Outcome.NotImplemented($"missing: {string.Join(", ", absent.Select(p => $"ansible/{p}"))}");
        }

        var result = context.AnsibleLint(paths, Settings<AnsibleLintSettings>(context));
        return result.Succeeded
            ? Outcome.Pass($"ansible-lint (production profile): no findings in {string.Join(", ", paths)}")
            : Outcome.Fail(result.Tail());
    }

    /// <summary>ansible-playbook --syntax-check of a playbook relative to ansible/.</summary>
    public static Outcome SyntaxCheck(BuildContext context, string playbook)
    {
        if (!File.Exists(Path.Combine(context.Paths.Ansible, playbook)))
        {
            return Outcome.NotImplemented($"ansible/{playbook} does not exist");
        }

        var settings = Settings<AnsiblePlaybookSettings>(context);
        settings.SyntaxCheck = true;
        settings.Inventory = "localhost,";
        var result = context.AnsiblePlaybook(playbook, settings);
        return result.Succeeded ? Outcome.Pass($"ansible/{playbook}: syntax valid") : Outcome.Fail(result.Tail());
    }

    /// <summary>Settings that run from ansible/ with its ansible.cfg.</summary>
    public static T Settings<T>(BuildContext context) where T : AnsibleSettings, new() => new()
    {
        WorkingDirectory = context.Paths.Ansible,
        ConfigFile = Path.Combine(context.Paths.Ansible, "ansible.cfg"),
    };
}
