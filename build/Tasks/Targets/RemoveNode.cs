using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Kubernetes;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// Removes --node from --env's cluster (playbooks/remove-node.yml): drained, deleted,
/// and for a control plane its etcd member removed (refused when fewer than 2 healthy members
/// would be left),
/// then kubeadm reset on it. Terraform replaces the instance afterwards. Prod needs --confirm=prod.
/// </summary>
[TaskDescription("RemoveNode: drains and deletes --node=NAME from --env's cluster, removing a control plane's etcd member (refused below 2 healthy members); prod needs --confirm=prod")]
public sealed class RemoveNode : PlatformTask
{
    public override PlatformAction Action => new(
        "drain and remove --node from the cluster of --env (playbooks/remove-node.yml)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.RemoveNode()))
    {
        Refuse = DayTwo.RemoveRefusal,
    };

    protected override void Define(Checklist checklist) =>
        checklist
            .Offline("Day-2 playbooks lint clean and pass the syntax check", c => c.Operations.PlaybooksClean()).Reading("ansible/**")
            .Live("The node is gone from the cluster", Needs.Cluster, c => c.Kubernetes.NodeGone(c.Options.Node ?? "?"));
}
