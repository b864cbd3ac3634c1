using Xunit;
using System.Text.Json.Nodes;
using k8s.Models;
using YamlDotNet.RepresentationModel;
using Platform.Build.Ansible;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Tests.Audit;

/// <summary>
/// For each rule of the other sources, the attack it stops: a tenant's
/// workload or tenancy object changed, a kubeadm flag or kubelet field set the
/// way a careless operator would, a task or workflow step added or changed,
/// the capacity table or worker group shrunk.
/// </summary>
public static class SourceAttacks
{
    private static V1Deployment Sso(AuditModel m) => m.Workload("prod").Select(x => x.Object).OfType<V1Deployment>().Single();

    private static V1PodSpec Pod(AuditModel m) => Sso(m).Spec.Template.Spec;

    private static V1Container Dex(AuditModel m) => Pod(m).Containers[0];

    private static T One<T>(List<Manifest> render, Func<T, bool>? pick = null) => render.Select(x => x.Object).OfType<T>().First(pick ?? (_ => true));

    private static V1ResourceQuota Quota(AuditModel m) => One<V1ResourceQuota>(m.Namespaces, q => q.Metadata.NamespaceProperty == "org-a-dev");

    private static V1ClusterRole Deployer(AuditModel m) => One<V1ClusterRole>(m.Guardrails, r => r.Metadata.Name == "platform-tenant-deployer");

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> Workloads = new Dictionary<string, Action<AuditModel>>
    {
        ["K8S-POD-001"] = m => Pod(m).HostPID = true,
        ["K8S-POD-002"] = m => Pod(m).Volumes.Add(new V1Volume { Name = "node", HostPath = new V1HostPathVolumeSource { Path = "/var/run/containerd" } }),
        ["K8S-POD-003"] = m => Pod(m).Volumes.Add(new V1Volume { Name = "share", Nfs = new V1NFSVolumeSource { Server = "10.0.0.9", Path = "/export" } }),
        ["K8S-POD-004"] = m => Dex(m).SecurityContext.RunAsUser = 0,
        ["K8S-POD-005"] = m => Pod(m).SecurityContext.Sysctls = [new V1Sysctl { Name = "kernel.msgmax", Value = "65536" }],
        ["K8S-POD-006"] = m => Dex(m).SecurityContext.AppArmorProfile = new V1AppArmorProfile { Type = "Unconfined" },
        ["K8S-POD-007"] = m => Pod(m).AutomountServiceAccountToken = true,
        ["K8S-POD-008"] = m => Dex(m).SecurityContext.ProcMount = "Unmasked",
        ["K8S-POD-009"] = m => Dex(m).SecurityContext.Privileged = true,
        ["K8S-POD-010"] = m => Dex(m).SecurityContext.AllowPrivilegeEscalation = true,
        ["K8S-POD-011"] = m => Dex(m).SecurityContext.Capabilities.Add = ["SYS_ADMIN"],
        ["K8S-POD-012"] = m => { Pod(m).SecurityContext.SeccompProfile = new V1SeccompProfile { Type = "Unconfined" }; Dex(m).SecurityContext.SeccompProfile = null; },
        ["K8S-POD-013"] = m => Dex(m).SecurityContext.ReadOnlyRootFilesystem = false,
        ["K8S-POD-014"] = m => Dex(m).Ports[0].HostPort = 5556,
        ["K8S-POD-015"] = m => Dex(m).Env.Add(new V1EnvVar { Name = "DEX_ADMIN_PASSWORD", Value = "hunter2" }),
        ["K8S-WL-001"] = m => Dex(m).Resources.Limits = null,
        ["K8S-WL-002"] = m => Dex(m).ReadinessProbe = null,
        ["K8S-WL-003"] = m => Dex(m).LivenessProbe = null,
        ["K8S-WL-004"] = m => Dex(m).Image = "ghcr.io/dexidp/dex:latest",
        ["K8S-WL-005"] = m => One<V2HorizontalPodAutoscaler>(m.Workload("prod")).Spec.MinReplicas = 1,
        ["K8S-WL-006"] = m => m.Workload("prod").RemoveAll(x => x.Object is V1PodDisruptionBudget),
        ["K8S-WL-007"] = m => Pod(m).TopologySpreadConstraints[0].WhenUnsatisfiable = "ScheduleAnyway",
        ["K8S-REF-001"] = m => One<V1Service>(m.Workload("prod")).Spec.Selector["app.kubernetes.io/name"] = "sso-old",
        ["K8S-REF-002"] = m => One<V1Ingress>(m.Workload("prod")).Spec.Tls = null,
    };

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> Tenancy = new Dictionary<string, Action<AuditModel>>
    {
        ["MTB-001"] = m => One<V1Namespace>(m.Namespaces, n => n.Metadata.Name == "org-a-dev").Metadata.Labels["pod-security.kubernetes.io/enforce"] = "privileged",
        ["MTB-002"] = m => One<V1Namespace>(m.Namespaces, n => n.Metadata.Name == "org-a-dev").Metadata.Labels["pod-security.kubernetes.io/enforce-version"] = "v1.24",
        ["MTB-003"] = m => Quota(m).Spec.Hard.Remove("limits.memory"),
        ["MTB-004"] = m => Quota(m).Spec.Hard.Remove("pods"),
        ["MTB-005"] = m => Quota(m).Spec.Hard["services.nodeports"] = new ResourceQuantity("3"),
        ["MTB-006"] = m => Deployer(m).Rules[0].Resources.Add("persistentvolumes"),
        ["MTB-007"] = m => m.Guardrails.Add(new Manifest("attack", 1, new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "ClusterRoleBinding", Metadata = new V1ObjectMeta { Name = "org-a-view-all" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "org-a-developers", ApiGroup = "rbac.authorization.k8s.io" }],
        })),
        ["MTB-008"] = m => One<V1RoleBinding>(m.Namespaces, b => b.Metadata.NamespaceProperty == "org-a-dev").Subjects.Add(new Rbacv1Subject { Kind = "ServiceAccount", Name = "platform-deployer", NamespaceProperty = "org-b-dev" }),
        ["MTB-009"] = m => Deployer(m).Rules.Add(new V1PolicyRule { ApiGroups = [""], Resources = ["resourcequotas"], Verbs = ["get", "update", "patch"] }),
        ["MTB-010"] = m => m.NetworkPolicies.RemoveAll(x => x.Object is V1NetworkPolicy p && p.Metadata.NamespaceProperty == "org-a-dev" && p.Metadata.Name == "default-deny"),
        ["MTB-011"] = m => One<AppProject>(m.Projects, p => p.Metadata.Name == "org-a").Spec.ClusterResourceWhitelist = [new GroupKind { Group = string.Empty, Kind = "Namespace" }],
        ["MTB-012"] = m => m.Namespaces.RemoveAll(x => x.Object is V1LimitRange l && l.Metadata.NamespaceProperty == "org-a-dev"),
        ["MTB-013"] = m => One<V1ServiceAccount>(m.Namespaces, a => a.Metadata.NamespaceProperty == "org-a-dev").AutomountServiceAccountToken = true,
    };

    /// <summary>A kubeadm flag set in extraArgs (replacing kubeadm's default), or a kubelet field set: the item's own attack value.</summary>
    public static void Set(AuditModel m, ConfigItem item)
    {
        if (item.Component == "kubeletArgs")
        {
            SetKubeletFlag(m, item.Key, item.Attack);
            return;
        }

        if (item.Component == "kubelet")
        {
            var node = m.Kubeadm.First(d => d.Children.TryGetValue(new YamlScalarNode("kind"), out var k) && ((YamlScalarNode)k).Value == "KubeletConfiguration");
            var keys = item.Key.Split('.');
            foreach (var key in keys[..^1])
            {
                if (!node.Children.TryGetValue(new YamlScalarNode(key), out var next))
                {
                    next = new YamlMappingNode();
                    node.Children[new YamlScalarNode(key)] = next;
                }

                node = (YamlMappingNode)next;
            }

            node.Children[new YamlScalarNode(keys[^1])] = new YamlScalarNode(item.Attack);
            return;
        }

        var cluster = m.Kubeadm.First(d => ((YamlScalarNode)d[new YamlScalarNode("kind")]).Value == "ClusterConfiguration");
        YamlMappingNode parent = cluster;
        foreach (var key in item.Component == "etcd" ? new[] { "etcd", "local" } : [item.Component])
        {
            if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                child = new YamlMappingNode();
                parent.Children[new YamlScalarNode(key)] = child;
            }

            parent = (YamlMappingNode)child;
        }

        if (!parent.Children.TryGetValue(new YamlScalarNode("extraArgs"), out var args))
        {
            args = new YamlSequenceNode();
            parent.Children[new YamlScalarNode("extraArgs")] = args;
        }

        var list = (YamlSequenceNode)args;
        foreach (var old in list.Children.OfType<YamlMappingNode>().Where(a => ((YamlScalarNode)a[new YamlScalarNode("name")]).Value == item.Key).ToList())
        {
            list.Children.Remove(old);
        }

        list.Add(new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(item.Key), new YamlScalarNode("value"), new YamlScalarNode(item.Attack)));
    }

    /// <summary>A kubelet flag in InitConfiguration's nodeRegistration.kubeletExtraArgs (it wins over the config file).</summary>
    public static void SetKubeletFlag(AuditModel m, string flag, string value)
    {
        var init = m.Kubeadm.First(d => ((YamlScalarNode)d[new YamlScalarNode("kind")]).Value == "InitConfiguration");
        var registration = (YamlMappingNode)init[new YamlScalarNode("nodeRegistration")];
        if (!registration.Children.TryGetValue(new YamlScalarNode("kubeletExtraArgs"), out var args))
        {
            args = new YamlSequenceNode();
            registration.Children[new YamlScalarNode("kubeletExtraArgs")] = args;
        }

        ((YamlSequenceNode)args).Add(new YamlMappingNode(new YamlScalarNode("name"), new YamlScalarNode(flag), new YamlScalarNode("value"), new YamlScalarNode(value)));
    }

    private static YamlSequenceNode Seq(YamlMappingNode node, string key) => (YamlSequenceNode)node[new YamlScalarNode(key)];

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> ConfigFiles = new Dictionary<string, Action<AuditModel>>
    {
        // secretbox dropped: identity, the plain-text provider, comes first.
        ["CIS-1.2.28"] = m => Seq((YamlMappingNode)Seq(m.Encryption, "resources").Children[0], "providers").Children.RemoveAt(0),
        ["CIS-3.2.1"] = m => m.AuditPolicy.Children[new YamlScalarNode("rules")] = new YamlSequenceNode(),
        ["CIS-3.2.2"] = m =>
        {
            var secrets = Seq(m.AuditPolicy, "rules").Children.OfType<YamlMappingNode>().First(r => r.AllNodes.OfType<YamlScalarNode>().Any(s => s.Value == "secrets"));
            secrets.Children[new YamlScalarNode("level")] = new YamlScalarNode("RequestResponse");
        },
    };

    private static void Cm(AuditModel m, string section, string key, string value)
    {
        var configs = (YamlMappingNode)m.ArgoValues["dev"][new YamlScalarNode("configs")];
        ((YamlMappingNode)configs[new YamlScalarNode(section)]).Children[new YamlScalarNode(key)] = new YamlScalarNode(value);
    }

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> ArgoCd = new Dictionary<string, Action<AuditModel>>
    {
        ["ARGO-001"] = m => Cm(m, "cm", "exec.enabled", "true"),
        ["ARGO-002"] = m => Cm(m, "cm", "users.anonymous.enabled", "true"),
        ["ARGO-003"] = m => Cm(m, "params", "server.insecure", "true"),
        ["ARGO-004"] = m => Cm(m, "rbac", "policy.default", "role:readonly"),
        ["ARGO-005"] = m => Cm(m, "cm", "application.sync.impersonation.enabled", "false"),
        ["ARGO-006"] = m => Cm(m, "cm", "oidc.config", "name: Okta\nissuer: https://example.okta.com"),
        ["ARGO-007"] = m => ((YamlMappingNode)((YamlMappingNode)m.ArgoValues["dev"][new YamlScalarNode("global")])[new YamlScalarNode("networkPolicy")]).Children[new YamlScalarNode("defaultDenyIngress")] = new YamlScalarNode("false"),
    };

    private const string Worker = "ansible/roles/k8s-worker/tasks/main.yml";

    private static Action<AuditModel> Task(string yaml) => m => m.AnsibleFiles[Worker] = m.AnsibleFiles[Worker].TrimEnd() + "\n\n" + yaml.Trim() + "\n";

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> Ansible = new Dictionary<string, Action<AuditModel>>
    {
        ["ANS-001"] = Task("- name: Fetch the node agent\n  ansible.builtin.get_url:\n    url: https://agent.example.com/agent\n    dest: /usr/local/bin/agent\n    mode: \"0755\"\n    checksum: sha256:0123\n    validate_certs: false"),
        ["ANS-002"] = Task("- name: Install the agent\n  ansible.builtin.shell: curl -fsSL https://agent.example.com/install.sh | sudo bash\n  changed_when: true"),
        ["ANS-003"] = Task("- name: Fetch the node agent\n  ansible.builtin.get_url:\n    url: https://agent.example.com/agent\n    dest: /usr/local/bin/agent\n    mode: \"0755\""),
        ["ANS-004"] = Task("- name: Make a join command\n  ansible.builtin.command: kubeadm token create --print-join-command\n  register: join\n  changed_when: true"),
        ["ANS-005"] = Task("- name: Write the agent settings\n  ansible.builtin.copy:\n    dest: /etc/agent.conf\n    content: \"level: info\\n\""),
        ["ANS-006"] = Task("- name: Keep a copy of the CA key\n  ansible.builtin.copy:\n    src: /etc/kubernetes/pki/ca.key\n    dest: /etc/kubernetes/pki/ca-backup.key\n    remote_src: true\n    mode: \"0644\""),
        ["ANS-007"] = Task("- name: Restart the agent\n  ansible.builtin.systemd_service:\n    name: agent\n    state: restarted\n  ignore_errors: true"),
        ["ANS-008"] = Task("- name: Reload the agent\n  ansible.builtin.command: systemctl reload agent"),
        ["ANS-009"] = Task("- name: Upgrade the kubelet\n  ansible.builtin.apt:\n    name: [kubelet]\n    state: present"),
    };

    private static Action<AuditModel> Workflow(string from, string to) => m =>
    {
        Assert.Contains(from, m.Workflow);
        var at = m.Workflow.IndexOf(from, StringComparison.Ordinal);
        m.Workflow = m.Workflow[..at] + to + m.Workflow[(at + from.Length)..];
    };

    private const string Checkout = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2";

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> Workflows = new Dictionary<string, Action<AuditModel>>
    {
        ["CI-001"] = Workflow(Checkout, "actions/checkout@v4"),
        ["CI-002"] = Workflow("permissions:\n  contents: read\n\nconcurrency", "permissions: write-all\n\nconcurrency"),
        ["CI-003"] = m =>
        {
            Workflow("  pull_request:\n", "  pull_request_target:\n")(m);
            Workflow("          persist-credentials: false\n", "          persist-credentials: false\n          ref: ${{ github.event.pull_request.head.sha }}\n")(m);
        },
        ["CI-004"] = Workflow($"{Checkout}\n        with:\n          persist-credentials: false\n", $"{Checkout}\n"),
        ["CI-005"] = Workflow("run: ./build.sh --target=Validate\n", "run: ./build.sh --target=Validate --env=\"${{ github.event.pull_request.title }}\"\n"),
        ["CI-006"] = Workflow("    timeout-minutes: 20\n", string.Empty),
        ["CI-007"] = Workflow("run: ./build.sh --target=Validate\n", "run: echo \"seal ${{ secrets.PLAN_SEAL_KEY }}\" && ./build.sh --target=Validate\n"),
        ["CI-008"] = Workflow("    environment: dev-plan\n", string.Empty),
    };

    private static JsonNode ProdAfter(AuditModel m, string address) =>
        m.Plans["prod"]["resource_changes"]!.AsArray().First(r => r!["address"]!.GetValue<string>().Contains(address, StringComparison.Ordinal))!["change"]!["after"]!;

    public static readonly IReadOnlyDictionary<string, Action<AuditModel>> Capacity = new Dictionary<string, Action<AuditModel>>
    {
        ["CAP-001"] = m => ProdAfter(m, "aws_autoscaling_group.workers")["min_size"] = 1,
        ["CAP-002"] = m => m.Capacity = m.Capacity.Replace("perCluster: {cpu: \"2\", memory: 4Gi}", "perCluster: {cpu: \"2\", memory: 90Gi}", StringComparison.Ordinal),
        ["CAP-003"] = m => m.Capacity = m.Capacity.Replace("maxPodsPerNode: 110", "maxPodsPerNode: 10", StringComparison.Ordinal),
        ["CAP-004"] = m => ProdAfter(m, "aws_launch_template.this[\"worker\"]")["instance_type"] = "m7i.2xlarge",
        ["CAP-005"] = m => m.Today = new DateOnly(2028, 1, 1),
    };

    /// <summary>Every attack by rule id: the kubeadm and kubelet items from their own attack values.</summary>
    public static IReadOnlyDictionary<string, Action<AuditModel>> All()
    {
        var all = new Dictionary<string, Action<AuditModel>>();
        foreach (var table in new[] { PlanAttacks.All, Workloads, Tenancy, ConfigFiles, ArgoCd, Ansible, Workflows, Capacity })
        {
            foreach (var (rule, attack) in table)
            {
                all.Add(rule, attack);
            }
        }

        foreach (var item in ClusterConfigRules.Items)
        {
            all.Add(item.Id, m => Set(m, item));
        }

        return all;
    }
}
