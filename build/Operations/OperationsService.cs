using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Terraform;

namespace Platform.Build.Operations;

/// <summary>
/// What the tasks ask of Operations (the post-implementation list and day 2):
/// the documents, the readiness of CI, backups and monitoring, the
/// disaster-recovery drill, and the day-2 playbook runs. Tasks call these as
/// <c>c.Operations.Name(...)</c>; each line says where the work is done.
/// </summary>
public sealed class OperationsService(BuildContext context)
{
    public Outcome AccessProcedures() => DocsChecks.AccessProcedures(context);
    public Outcome AlertLinks() => DocsChecks.AlertLinks(context);
    public Outcome ArchitectureCurrent() => ArchitectureChecks.Current(context);
    public Outcome ArchitectureInReadme() => ArchitectureChecks.InReadme(context);
    public Outcome Backup() => DayTwo.RunBackup(context);
    public Outcome BackupsConfigured() => ReadinessChecks.BackupsConfigured(context);
    public Outcome CertificatesValid() => DayTwo.CertificatesValid(context);
    public Outcome CiPipelines() => ReadinessChecks.CiPipelines(context);
    public Task<Outcome> Drill() => EtcdDrill.Run(context);
    public Outcome PlaybooksClean() => DayTwo.PlaybooksClean(context);
    public Outcome RemoveNode() => DayTwo.RunRemove(context);
    public Outcome RenewCertificates() => DayTwo.RunRenew(context);
    public Outcome Restore() => DayTwo.RunRestore(context);
    public Outcome RollbackCluster() => DayTwo.RunRollbackCluster(context);
    public Outcome RunbookProcedures() => DocsChecks.RunbookProcedures(context);
    public Outcome SkewAllowed() => DayTwo.SkewAllowed(context);
    public Outcome TroubleshootingKeyed() => DocsChecks.TroubleshootingKeyed(context);
    public Outcome TroubleshootingSteps() => DocsChecks.TroubleshootingSteps(context);
    public Outcome Upgrade() => DayTwo.RunUpgrade(context);
    public Outcome WriteArchitecture() => ArchitectureChecks.Write(context);
}

/// <summary>What the Operations checks read (their cache keys).</summary>
public static class OperationsInputs
{
    /// <summary>The documents and what their commands and links name (alerts, playbooks, the catalog's repository); the targets live in build/, which every key holds.</summary>
    public static readonly CheckInputs Docs = new(["RUNBOOK.md", "docs/**", "README.md", "kubernetes/monitoring/**", "kubernetes/tenants/**", "ansible/playbooks/**"]);

    /// <summary>The drill runs the backup role's scripts against the etcd the tools list; it is rerun every day.</summary>
    public static readonly CheckInputs Drill = new CheckInputs(["ansible/roles/etcd-backup/files/**"]) with { Dated = true };

    /// <summary>The diagrams read the plans (all of terraform/), the Applications and the catalog.</summary>
    public static readonly CheckInputs Architecture = TerraformInputs.All.And("kubernetes/argocd/applications/**", "kubernetes/monitoring/stack/**", "kubernetes/tenants/**", "README.md");
}

public static class OperationsServiceContext
{
    extension(BuildContext context)
    {
        /// <summary>Operations' checks and actions for the tasks.</summary>
        public OperationsService Operations => new(context);
    }
}
