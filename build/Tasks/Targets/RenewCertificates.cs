using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Operations;

namespace Platform.Build.Tasks.Targets;

/// <summary>
/// Renews the control-plane certificates of --env (playbooks/renew-certs.yml: kubeadm
/// certs renew all, one control plane at a time, static pods restarted), then checks
/// that none expires within 90 days. Prod needs --confirm=prod.
/// </summary>
[TaskDescription("RenewCertificates: kubeadm certs renew on --env's control planes one at a time, then every certificate valid for more than 90 days; prod needs --confirm=prod")]
public sealed class RenewCertificates : PlatformTask
{
    public override PlatformAction Action => new(
        "renew the control-plane certificates of --env (playbooks/renew-certs.yml)",
        Needs.Hosts,
        c => Task.FromResult(c.Operations.RenewCertificates()));

    protected override void Define(Checklist checklist) =>
        checklist
            .Offline("Day-2 playbooks lint clean and pass the syntax check", c => c.Operations.PlaybooksClean()).Reading("ansible/**")
            .Live("Control-plane certificates valid for more than 90 days", Needs.Hosts, c => Task.FromResult(c.Operations.CertificatesValid()));
}
