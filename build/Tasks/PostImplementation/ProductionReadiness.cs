using Platform.Build.Core.Checks;
using Platform.Build.Core.Tasks;
using Platform.Build.Frosting;
using Platform.Build.Operations;
using Platform.Build.Tasks.Checkpoints;
using Platform.Build.Tasks.Phase1;
using Platform.Build.Tasks.Phase2;
using Platform.Build.Tasks.Phase3;
using Platform.Build.Tasks.Phase4;

namespace Platform.Build.Tasks.PostImplementation;

/// <summary>
/// The seed's post-implementation list (specs/platform/tasks.md, "Post-Implementation
/// Tasks") after Checkpoint 4: documents present and current, the pipeline tied to
/// the targets, prod planned, backups configured, monitoring baselines tested, the
/// disaster-recovery drill run here. People's work is Manual and says how.
/// </summary>
[TaskDescription("ProductionReadiness: the post-implementation list - runbook, diagrams, guides, CI, prod, backups, SLO baselines, the DR drill (offline), certificate expiry (live)")]
[IsDependentOn(typeof(Checkpoint4))]
public sealed class ProductionReadiness : PostImplementationTask
{
    protected override void Define(Checklist checklist) =>
        checklist
            .Offline("Update main README with architecture", c => c.Operations.ArchitectureInReadme()).Reading(OperationsInputs.Docs)
            .Offline("Document operational procedures in RUNBOOK.md", c => c.Operations.RunbookProcedures()).Reading(OperationsInputs.Docs)
            .Offline("Create architecture diagrams", c => c.Operations.ArchitectureCurrent()).Reading(OperationsInputs.Architecture)
            .Offline("Document troubleshooting steps", c => c.Operations.TroubleshootingSteps()).Reading(OperationsInputs.Docs)
            .Offline("Every alert's `runbook_url` reaches a RUNBOOK.md section", c => c.Operations.AlertLinks()).Reading(OperationsInputs.Docs)
            .Derived("Create production environment (repeat Phases 1-4)",
                (nameof(CreateDevelopmentEnvironment), "`terraform plan` shows expected resources"),
                (nameof(CreateDevelopmentEnvironment), "Environments differ only in their profile"),
                (nameof(CreateDynamicInventory), "The fixtures have every output the environments declare"),
                (nameof(CreateArgoCdManifests), "Argo CD settings are hardened (exec off, RBAC deny by default, network policies, metrics; HA in prod)"),
                (nameof(CreateNamespaces), "Generated from the tenant catalog and current"),
                (nameof(CreateNetworkPolicies), "Generated from the tenant catalog and current"))
            .Offline("Set up CI/CD pipelines", c => c.Operations.CiPipelines()).Reading(".github/**")
            .Offline("Configure backup procedures", c => c.Operations.BackupsConfigured()).Reading(OperationsInputs.Architecture.And("ansible/**"))
            .Derived("Establish monitoring baselines",
                (nameof(ConfigureMonitoring), ConfigureMonitoring.SloItem), (nameof(ConfigureMonitoring), "Test alerts fire"))
            .Offline("Conduct disaster recovery drill", c => c.Operations.Drill()).Reading(OperationsInputs.Drill)
            .Offline("Day-2 playbooks lint clean in the production profile and pass the syntax check", c => c.Operations.PlaybooksClean()).Reading("ansible/**")
            .Live("Control-plane certificates valid for more than 90 days", Needs.Hosts, c => Task.FromResult(c.Operations.CertificatesValid()))
            .Manual("Train team on infrastructure",
                "pair each engineer through RUNBOOK.md's exercises on dev: a DeployApp and a RollbackApp, a tenant onboarded with ./build.sh --target=Tenants, the DisasterRecoveryDrill and a RemoveNode; record who did which, and when, in the team's onboarding tracker")
            .Offline("Document access procedures", c => c.Operations.AccessProcedures()).Reading(OperationsInputs.Docs)
            .Offline("Create troubleshooting guide", c => c.Operations.TroubleshootingKeyed()).Reading(OperationsInputs.Docs)
            .Manual("Set up on-call rotation",
                "in the paging tool, route severity=critical alerts (the SLO pages, SsoDown) to a weekly primary and secondary rotation of engineers who did the training above; warning alerts open tickets; check that each alert's runbook_url opens its RUNBOOK.md section from the page");
}
