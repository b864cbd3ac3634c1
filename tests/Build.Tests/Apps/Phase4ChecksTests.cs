using Xunit;
using Platform.Build.Apps;
using Platform.Build.Core.Checks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Apps;

/// <summary>
/// The offline checks of Tasks 4.3 and 4.4 and the app targets, on a copy of the repository:
/// they pass as shipped, and each fails (with the build's exit code) when a
/// user breaks what it guards.
/// </summary>
public sealed class Phase4ChecksTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", ".gitignore");
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private void Edit(string file, string find, string replace) => _repo.Edit(file, find, replace);

    private Outcome Check(Func<global::Platform.Build.Core.Context.BuildContext, Outcome> check) => check(PlatformContext.Create(_repo.Root));

    [Fact]
    public void The_shipped_Phase_4_targets_pass_offline()
    {
        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=CreateApplicationManifests", "--target=CreateArgoCdApplication", "--target=ConfigureMonitoring", "--exclusive");

        Assert.True(run.ExitCode == 0, run.Output);
        var rows = ReportFile.Rows(_repo.Root);
        Assert.DoesNotContain(rows, r => r.Status == "Failed");
        Assert.Equal(28, rows.Count(r => r.SeedId is "4.3" or "4.4" or "4.6" && r.Status == "Passed"));
    }

    [Fact]
    public void An_Application_of_org_a_aimed_at_org_b_fails_the_target_with_Argo_CDs_refusal()
    {
        Edit("kubernetes/argocd/applications/sso-dev.yaml", "    namespace: org-a-dev", "    namespace: org-b-dev");

        var run = BuildRun.Platform($"--working={_repo.Root}", "--target=CreateArgoCdApplication", "--exclusive");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("do not match any of the allowed destinations in project 'org-a'", ReportFile.Row(_repo.Root, "CreateArgoCdApplication", "Within its AppProject (Argo CD's rules, simulated)").Detail);
        Assert.Contains("destination must be org-a-dev", ReportFile.Row(_repo.Root, "CreateArgoCdApplication", "Points to correct path").Detail);
    }

    [Theory]
    [InlineData("kubernetes/argocd/applications/sso-prod.yaml", "targetRevision: sso-v1.0.0", "targetRevision: main", "targetRevision 'main' moves; prod must be pinned")]
    [InlineData("kubernetes/argocd/applications/sso-prod.yaml", "      - CreateNamespace=false\n", "      - CreateNamespace=true\n", "syncOptions must hold CreateNamespace=false")]
    [InlineData("kubernetes/argocd/applications/sso-prod.yaml", "      prune: false", "      prune: true", "prune must be false in prod")]
    [InlineData("kubernetes/argocd/applications/sso-dev.yaml", "      selfHeal: true", "      selfHeal: false", "selfHeal: true is required")]
    public void A_sync_policy_that_breaks_the_rules_fails(string file, string find, string replace, string expected)
    {
        Edit(file, find, replace);

        var outcome = Check(c => ArgoApplicationChecks.SyncPolicy(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains(expected, outcome.Detail);
    }

    [Fact]
    public void An_Application_pointing_at_the_wrong_overlay_fails()
    {
        Edit("kubernetes/argocd/applications/sso-prod.yaml", "path: kubernetes/apps/sso/overlays/prod", "path: kubernetes/apps/sso/overlays/dev");

        var outcome = Check(c => ArgoApplicationChecks.PointsToCorrectPath(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("source.path is 'kubernetes/apps/sso/overlays/dev', must be kubernetes/apps/sso/overlays/prod", outcome.Detail);
    }

    [Fact]
    public void Pods_that_do_not_ask_for_ingress_are_unreachable_and_the_network_check_says_so()
    {
        Edit("kubernetes/apps/sso/base/deployment.yaml", "        platform.example.com/ingress: allowed\n", string.Empty);

        var outcome = Check(c => ApplicationChecks.NetworkAdmission(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: ingress-nginx/controller cannot reach org-a-dev/sso on Service sso's port http (5556)", outcome.Detail);
    }

    [Fact]
    public void The_network_check_shows_what_sso_may_reach_computed_from_the_real_pods()
    {
        var outcome = Check(c => ApplicationChecks.NetworkAdmission(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("org-a-prod/sso in from ingress-nginx TCP 5556, from monitoring TCP 5558; out to org-a-prod:sso-database TCP 5432", outcome.Detail);
    }

    [Fact]
    public void A_tenant_NetworkPolicy_in_the_application_is_refused_by_its_project()
    {
        _repo.Write("kubernetes/apps/sso/base/networkpolicy.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: allow-everything
            spec:
              podSelector: {}
              ingress:
                - {}
            """);
        Edit("kubernetes/apps/sso/base/kustomization.yaml", "  - poddisruptionbudget.yaml\n", "  - poddisruptionbudget.yaml\n  - networkpolicy.yaml\n");

        var outcome = Check(c => ArgoApplicationChecks.WithinProject(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("NetworkPolicy", outcome.Detail);
        Assert.Contains("org-a", outcome.Detail);
    }

    [Fact]
    public void An_overlay_that_keeps_a_placeholder_of_the_base_fails()
    {
        Edit("kubernetes/apps/sso/overlays/dev/kustomization.yaml", "      - DEX_DB_HOST=org-a-sso-dev.c0ffee123456.eu-west-1.rds.amazonaws.com\n", string.Empty);

        var outcome = Check(c => ApplicationChecks.OverlaysComplete(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("dev: ConfigMap/sso-settings-", outcome.Detail);
        Assert.Contains("keeps a placeholder of the base (example.invalid)", outcome.Detail);
    }

    [Fact]
    public void Secrets_in_git_or_another_organizations_store_fail()
    {
        _repo.Write("kubernetes/apps/sso/base/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n");
        Edit("kubernetes/apps/sso/base/kustomization.yaml", "  - poddisruptionbudget.yaml\n", "  - poddisruptionbudget.yaml\n  - secret.yaml\n");
        Edit("kubernetes/apps/sso/base/externalsecret.yaml", "    name: org-a\n", "    name: org-b\n");

        var outcome = Check(c => ApplicationChecks.SecretsReferenced(c, TenantApplication.Sso));

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("Secret/leaked in org-a-dev", outcome.Detail);
        Assert.Contains("reads from ClusterSecretStore org-b: tenants read only through their organization's ClusterSecretStore (org-a)", outcome.Detail);
        Assert.DoesNotContain("hunter2", outcome.Detail);
    }

    [Fact]
    public void RollbackApp_needs_a_history_id_and_prod_needs_confirmation()
    {
        var kubeconfig = Path.Combine(_repo.Root, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\nkind: Config\n");

        var noId = BuildRun.Platform($"--working={_repo.Root}", "--target=RollbackApp", "--revision=HEAD~1", $"--kubeconfig={kubeconfig}");
        Assert.Equal(2, noId.ExitCode);
        Assert.Contains("RollbackApp needs --revision=N, a history id of sso-dev", noId.Output);
        Assert.DoesNotContain(ReportFile.Rows(_repo.Root), r => r.Kind == "Action");

        var prod = BuildRun.Platform($"--working={_repo.Root}", "--target=RollbackApp", "--env=prod", "--revision=3", $"--kubeconfig={kubeconfig}");
        Assert.Equal(2, prod.ExitCode);
        Assert.Contains("refusing to change prod without --confirm=prod", prod.Output);
    }

    [Fact]
    public void DeployApp_lists_the_whole_chain_on_a_dry_run_and_prod_is_refused_without_confirmation()
    {
        var dry = BuildRun.Platform($"--working={_repo.Root}", "--target=DeployApp", "--env=prod", "--dryrun");
        Assert.Equal(0, dry.ExitCode);
        int At(string task)
        {
            var at = dry.Output.IndexOf($". {task}\n", StringComparison.Ordinal);
            Assert.True(at >= 0, $"{task} is not in the chain:\n{dry.Output}");
            return at;
        }

        // Every task from 1.1 to 4.5 is listed, each after what it depends on.
        foreach (var (before, after) in new[]
        {
            ("InitializeTerraformProject", "ApplyInfrastructure"), ("ApplyInfrastructure", "ExecuteKubernetesSetup"), ("ExecuteKubernetesSetup", "InstallArgoCd"),
            ("InstallArgoCd", "ConfigureArgoCdProjects"), ("InstallArgoCd", "ConfigureRepositoryAccess"), ("ExecuteKubernetesSetup", "CreateNamespaces"),
            ("CreateNamespaces", "CreateNetworkPolicies"), ("CreateNetworkPolicies", "CreateApplicationManifests"), ("ConfigureArgoCdProjects", "CreateArgoCdApplication"),
            ("CreateApplicationManifests", "CreateArgoCdApplication"), ("CreateArgoCdApplication", "DeployApplication"), ("DeployApplication", "DeployApp"),
        })
        {
            Assert.True(At(before) < At(after), $"{before} must come before {after}");
        }

        Assert.DoesNotContain("ConfigureMonitoring", dry.Output);

        var refused = BuildRun.Platform($"--working={_repo.Root}", "--target=DeployApp", "--env=prod");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("refusing to change prod without --confirm=prod", refused.Output);
    }
}
