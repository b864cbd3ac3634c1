using Xunit;
using Platform.Build.Tests.Support;
using Platform.Build.Tools;

namespace Platform.Build.Tests.Tools;

/// <summary>The exact command lines the wrappers hand to Cake's process runner.</summary>
public sealed class ToolArgumentTests
{
    private readonly FakeProcessRunner _runner = new();
    private readonly RecordingLog _log = new();

    private Cake.Core.ICakeContext Context => ToolContext.Create(_runner, _log);

    private Started Last => _runner.Starts[^1];

    [Fact]
    public void TerraformInit_offline_against_a_mirror()
    {
        Context.TerraformInit(new TerraformInitSettings { Backend = false, PluginDir = "/opt/tf plugins" });

        Assert.Equal("terraform", Last.Tool);
        Assert.Equal("init -no-color -input=false -backend=false -plugin-dir=\"/opt/tf plugins\"", Last.Arguments);
        Assert.Equal("1", Last.Environment["TF_IN_AUTOMATION"]);
    }

    [Fact]
    public void TerraformInit_with_a_partial_backend_config()
    {
        Context.TerraformInit(new TerraformInitSettings { BackendConfigFile = "dev.s3.tfbackend", Reconfigure = true });

        Assert.Equal("init -no-color -input=false -backend-config=\"dev.s3.tfbackend\" -reconfigure", Last.Arguments);
    }

    [Fact]
    public void TerraformFmt_checks_recursively()
    {
        Context.TerraformFmt(new TerraformFmtSettings(), "terraform");

        Assert.Equal("fmt -no-color -check -recursive \"terraform\"", Last.Arguments);
    }

    [Fact]
    public void TerraformValidate_and_TerraformTest()
    {
        Context.TerraformValidate(new TerraformValidateSettings { Json = true });
        Assert.Equal("validate -no-color -json", Last.Arguments);

        Context.TerraformTest(new TerraformTestSettings { Filter = "tests/vpc.tftest.hcl", Verbose = true });
        Assert.Equal("test -no-color -filter=\"tests/vpc.tftest.hcl\" -verbose", Last.Arguments);
    }

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(2, true, true)]
    [InlineData(1, false, false)]
    public void TerraformPlan_saves_the_plan_and_reads_changes_from_the_detailed_exit_code(int exitCode, bool hasChanges, bool succeeded)
    {
        _runner.ExitCode = exitCode;
        var settings = new TerraformPlanSettings { OutFile = "dev.tfplan" };
        settings.VarFiles.Add("terraform.tfvars");
        settings.Variables["region"] = "eu-west-1";
        var plan = Context.TerraformPlan(settings);

        Assert.Equal("plan -no-color -input=false -detailed-exitcode -out=\"dev.tfplan\" -var-file=\"terraform.tfvars\" -var \"region=eu-west-1\"", Last.Arguments);
        Assert.Equal(hasChanges, plan.HasChanges);
        Assert.Equal(succeeded, plan.Succeeded);
    }

    [Fact]
    public void TerraformApply_applies_only_a_saved_plan()
    {
        var error = Assert.Throws<ArgumentException>(() => Context.TerraformApply(new TerraformApplySettings()));
        Assert.Contains("only a saved, reviewed plan is applied", error.Message);
        Assert.Empty(_runner.Starts);

        Context.TerraformApply(new TerraformApplySettings { PlanFile = "artifacts/terraform/dev.tfplan" });
        Assert.Equal("apply -no-color -input=false \"artifacts/terraform/dev.tfplan\"", Last.Arguments);
    }

    [Fact]
    public void TerraformShow_Output_Destroy_and_StatePull()
    {
        Context.TerraformShow(new TerraformShowSettings { PlanFile = "dev.tfplan" });
        Assert.Equal("show -no-color -json \"dev.tfplan\"", Last.Arguments);

        Context.TerraformOutput(new TerraformOutputSettings());
        Assert.Equal("output -no-color -json", Last.Arguments);

        Assert.Throws<ArgumentException>(() => Context.TerraformDestroy(new TerraformDestroySettings()));
        Context.TerraformDestroy(new TerraformDestroySettings { AutoApprove = true });
        Assert.Equal("destroy -no-color -input=false -auto-approve", Last.Arguments);

        Context.TerraformStatePull(new TerraformStatePullSettings());
        Assert.Equal("state pull", Last.Arguments);
    }

    [Fact]
    public void Kubectl_verbs_with_an_explicit_kubeconfig()
    {
        Context.KubectlApply(new KubectlApplySettings { Kubeconfig = "/k/config", Kustomize = "kubernetes/argocd/install" });
        Assert.Equal("--kubeconfig=\"/k/config\" apply --server-side --field-manager=\"platform-build\" -k \"kubernetes/argocd/install\"", Last.Arguments);

        Assert.Equal("/k/config", Last.Environment["KUBECONFIG"]);

        Context.KubectlWait(new KubectlWaitSettings { Kubeconfig = "/k", Namespace = "argocd", Resource = "pods", For = "condition=Ready", All = true });
        Assert.Equal("--kubeconfig=\"/k\" --namespace=\"argocd\" wait --for=\"condition=Ready\" pods --all --timeout=300s", Last.Arguments);

        Context.KubectlGet(new KubectlGetSettings { Kubeconfig = "/k", Resource = "nodes" });
        Assert.Equal("--kubeconfig=\"/k\" get nodes --output=json", Last.Arguments);

        Context.KubectlRolloutStatus(new KubectlRolloutStatusSettings { Kubeconfig = "/k", Namespace = "org-a-prod", Resource = "deployment/sso", Timeout = TimeSpan.FromMinutes(2) });
        Assert.Equal("--kubeconfig=\"/k\" --namespace=\"org-a-prod\" rollout status deployment/sso --timeout=120s", Last.Arguments);

        Context.KubectlKustomize("kubernetes/apps/sso/overlays/dev");
        Assert.Equal("kustomize \"kubernetes/apps/sso/overlays/dev\"", Last.Arguments);
        Assert.False(Last.Environment.ContainsKey("KUBECONFIG"));

        Context.KubectlApply(new KubectlApplySettings { Kubeconfig = "/k", Files = { "a.yaml" }, ServerSide = false, DryRun = "server" });
        Assert.Equal("--kubeconfig=\"/k\" apply --dry-run=server -f \"a.yaml\"", Last.Arguments);
    }

    [Fact]
    public void Kubectl_raw_paths_take_bodies_from_files_and_argocd_repo_get_uses_core_mode()
    {
        Context.KubectlGetRaw(new KubectlRawSettings { Kubeconfig = "/k", Path = "/api/v1/namespaces/argocd/services/https:argocd-server:https/proxy/healthz" });
        Assert.Equal("--kubeconfig=\"/k\" get --raw=/api/v1/namespaces/argocd/services/https:argocd-server:https/proxy/healthz", Last.Arguments);

        Context.KubectlCreateRaw(new KubectlRawSettings { Kubeconfig = "/k", Path = "/x/session", BodyFile = "/tmp/body.json" });
        Assert.Equal("--kubeconfig=\"/k\" create --raw=/x/session -f \"/tmp/body.json\"", Last.Arguments);

        Context.ArgoCdRepoGet("https://github.com/example-org/platform.git", new ArgoCdRepoGetSettings { Kubeconfig = "/k" });
        Assert.Equal("repo get \"https://github.com/example-org/platform.git\" --core --output=json", Last.Arguments);
        Assert.Equal("/k", Last.Environment["KUBECONFIG"]);

        var upgrade = new HelmUpgradeSettings { Kubeconfig = "/k", Release = "argocd", Chart = "argo-cd", Repo = "https://argoproj.github.io/argo-helm", Version = "8.1.3", Wait = false, Atomic = false };
        Context.HelmUpgrade(upgrade);
        Assert.Equal("--kubeconfig=\"/k\" upgrade --install \"argocd\" \"argo-cd\" --repo=\"https://argoproj.github.io/argo-helm\" --version=\"8.1.3\" --timeout=600s", Last.Arguments);
    }

    [Fact]
    public void Cluster_verbs_never_fall_back_to_a_default_kubeconfig()
    {
        Assert.Contains("never falls back", Assert.Throws<ArgumentException>(() => Context.KubectlGet(new KubectlGetSettings { Resource = "nodes" })).Message);
        Assert.Throws<ArgumentException>(() => Context.HelmUpgrade(new HelmUpgradeSettings { Release = "r", Chart = "c" }));
        Assert.Throws<ArgumentException>(() => Context.ArgoCdAppWait("sso", new ArgoCdAppWaitSettings()));
        Assert.Empty(_runner.Starts);
    }

    [Fact]
    public void Terraform_output_and_state_are_never_logged_or_quoted()
    {
        _runner.Output.Add("{\"db_password\": {\"sensitive\": true, \"value\": \"hunter2\"}}");
        var output = Context.TerraformOutput(new TerraformOutputSettings());
        var state = Context.TerraformStatePull(new TerraformStatePullSettings());

        Assert.Contains("hunter2", output.Text); // the caller gets the value...
        Assert.DoesNotContain("hunter2", _log.Text); // ...the log does not
        Assert.DoesNotContain("hunter2", output.Tail());
        Assert.DoesNotContain("hunter2", state.Tail());
    }

    [Fact]
    public void Helm_verbs_pin_versions_and_quote_values()
    {
        var upgrade = new HelmUpgradeSettings { Kubeconfig = "/k", Release = "cilium", Chart = "cilium/cilium", Namespace = "kube-system", Version = "1.16.5" };
        upgrade.ValuesFiles.Add("/tmp/cilium values.yaml");
        upgrade.Set["hubble.relay.enabled"] = "true";
        Context.HelmUpgrade(upgrade);
        Assert.Equal(
            "--kubeconfig=\"/k\" upgrade --install \"cilium\" \"cilium/cilium\" --namespace=\"kube-system\" --version=\"1.16.5\" --values=\"/tmp/cilium values.yaml\" --set=\"hubble.relay.enabled=true\" --wait --atomic --timeout=600s",
            Last.Arguments);

        Context.HelmRepoAdd(new HelmRepoAddSettings { Name = "cilium", Url = "https://helm.cilium.io" });
        Assert.Equal("repo add \"cilium\" \"https://helm.cilium.io\" --force-update", Last.Arguments);

        Context.HelmTemplate(new HelmTemplateSettings { Release = "argocd", Chart = "argo/argo-cd", Version = "7.7.0" });
        Assert.Equal("template \"argocd\" \"argo/argo-cd\" --version=\"7.7.0\"", Last.Arguments);

        Context.HelmLint("charts/sso");
        Assert.Equal("lint \"charts/sso\" --strict", Last.Arguments);
    }

    [Fact]
    public void Docker_build_takes_secrets_from_the_environment_never_the_command_line()
    {
        var settings = new DockerBuildSettings { File = "Dockerfile" };
        settings.Tags.Add("registry.example/sso:1.2.3");
        settings.BuildArgs["VERSION"] = "1.2.3";
        settings.SecretsFromEnvironment["npm"] = "NPM_TOKEN";
        Context.DockerBuild(settings, ".");

        Assert.Equal(
            "build --tag=\"registry.example/sso:1.2.3\" --file=\"Dockerfile\" --build-arg=\"VERSION=1.2.3\" --secret=\"id=npm,env=NPM_TOKEN\" --pull \".\"",
            Last.Arguments);

        Context.DockerPush(new DockerPushSettings(), "registry.example/sso:1.2.3");
        Assert.Equal("push \"registry.example/sso:1.2.3\"", Last.Arguments);
    }

    [Fact]
    public void Ansible_verbs_pass_secrets_only_as_files()
    {
        var playbook = new AnsiblePlaybookSettings { Inventory = "inventory/dev", Check = true, Diff = true, ConfigFile = "/repo/ansible/ansible.cfg" };
        playbook.ExtraVarsFiles.Add("/repo/.secrets/dev/vars.yml");
        playbook.ExtraVars["cluster_name"] = "platform-dev";
        Context.AnsiblePlaybook("playbooks/k8s-setup.yml", playbook);
        Assert.Equal("ansible-playbook", Last.Tool);
        Assert.Equal(
            "--inventory=\"inventory/dev\" --check --diff --extra-vars=\"cluster_name=platform-dev\" --extra-vars=\"@/repo/.secrets/dev/vars.yml\" \"playbooks/k8s-setup.yml\"",
            Last.Arguments);
        Assert.Equal("/repo/ansible/ansible.cfg", Last.Environment["ANSIBLE_CONFIG"]);

        Context.AnsibleLint(["roles/k8s-worker"], new AnsibleLintSettings());
        Assert.Equal("--nocolor --profile=\"production\" --offline \"roles/k8s-worker\"", Last.Arguments);

        Context.AnsibleInventory(new AnsibleInventorySettings { Inventory = "inventory/dev/terraform-inventory.py" });
        Assert.Equal("--inventory=\"inventory/dev/terraform-inventory.py\" --list", Last.Arguments);

        Context.AnsibleGalaxyCollectionInstall(new AnsibleGalaxyCollectionInstallSettings { RequirementsFile = "requirements.yml", CollectionsPath = "collections" });
        Assert.Equal("collection install --requirements-file=\"requirements.yml\" --collections-path=\"collections\"", Last.Arguments);
    }

    [Fact]
    public void ArgoCd_token_goes_through_the_environment_not_the_command_line()
    {
        const string token = "argocd-token-that-must-not-leak";
        Context.ArgoCdAppSync("sso-prod", new ArgoCdAppSyncSettings { Core = false, Server = "argocd.example:443", AuthToken = token, Revision = "v1.2.3" });

        Assert.Equal("app sync \"sso-prod\" --server=\"argocd.example:443\" --revision=\"v1.2.3\" --timeout=600", Last.Arguments);
        Assert.DoesNotContain(token, Last.Arguments);
        Assert.DoesNotContain(token, Last.SafeArguments);
        Assert.Equal(token, Last.Environment["ARGOCD_AUTH_TOKEN"]);
        Assert.DoesNotContain(token, _log.Text);

        Context.ArgoCdAppWait("sso-prod", new ArgoCdAppWaitSettings { Kubeconfig = "/k/config" });
        Assert.Equal("app wait \"sso-prod\" --core --health --sync --timeout=600", Last.Arguments);
        Assert.Equal("/k/config", Last.Environment["KUBECONFIG"]);

        Context.ArgoCdAppRollback("sso-prod", 3, new ArgoCdAppRollbackSettings { Kubeconfig = "/k/config" });
        Assert.Equal("app rollback \"sso-prod\" --core 3 --timeout=600", Last.Arguments);
    }

    [Fact]
    public void Output_is_captured_and_colour_codes_are_dropped()
    {
        _runner.Output.Add("\u001b[31mError:\u001b[0m something broke");
        _runner.ExitCode = 1;
        var result = Context.TerraformValidate(new TerraformValidateSettings());

        Assert.False(result.Succeeded);
        Assert.Equal("Error: something broke", result.Tail());
        Assert.Equal("terraform validate -no-color", result.CommandLine);
        var failure = Assert.Throws<ToolFailedException>(() => result.EnsureSuccess());
        Assert.Contains("exited with 1: Error: something broke", failure.Message);
    }
}
