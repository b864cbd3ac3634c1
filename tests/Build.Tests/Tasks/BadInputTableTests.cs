using System.Diagnostics;
using System.Security.Cryptography;
using Xunit;
using Platform.Build.Core.Context;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Tasks;

/// <summary>
/// Bad input over every entry point, as one table: options, the environment's
/// outputs and kubeconfig, the tenant catalog, the inventory's input. Each row
/// asserts the exit code, the one line that names what is wrong (file, line,
/// field or option, and the fix), and a tree left exactly as it was (only the
/// run's own reports under artifacts/ may appear).
/// </summary>
public sealed class BadInputTableTests : IDisposable
{
    private const string Catalog = "kubernetes/tenants/tenants.yaml";
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "kubernetes", "ansible", "terraform", ".github");

    public void Dispose() => _repo.Dispose();

    /// <summary>Every file outside artifacts/ and its hash.</summary>
    private Dictionary<string, string> Tree() =>
        Directory.EnumerateFiles(_repo.Root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(_repo.Root, f).StartsWith("artifacts", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(_repo.Root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private void AssertUnchanged(Dictionary<string, string> before, params string[] allowed)
    {
        var after = Tree();
        foreach (var file in allowed)
        {
            before.Remove(file);
            after.Remove(file);
        }

        Assert.Equal(before.OrderBy(p => p.Key), after.OrderBy(p => p.Key));
    }

    public static TheoryData<string, string> Options => new()
    {
        { "--env=staging", "--env=staging is not valid: use --env=dev or --env=prod" },
        { "--env=PROD", "--env=PROD is not valid: did you mean --env=prod?" },
        { "--env=Dev", "--env=Dev is not valid: did you mean --env=dev?" },
        { "--enviroment=prod", "unknown option --enviroment: did you mean --env?" },
        { "--confrim=prod", "unknown option --confrim: did you mean --confirm?" },
        { "--kubconfig=x", "unknown option --kubconfig: did you mean --kubeconfig?" },
        { "--env=prod --confirm=dev", "--confirm=dev does not match --env=prod" },
        { "--env=prod --confirm=PROD", "--confirm=PROD does not match --env=prod" },
        { "--kubeconfig=/no/such/file", "--kubeconfig=/no/such/file: file /no/such/file not found" },
        { "--kubeconfig=/tmp", "--kubeconfig=/tmp: /tmp is a directory" },
        { "--kubeconfig", "--kubeconfig needs a value: --kubeconfig=PATH" },
        { "--apply-plan", "--apply-plan needs a value" },
        { "--revision", "--revision needs a value" },
        { "--git-token-file", "--git-token-file needs a value" },
        { "--terraform-plugin-dir=/no/such/dir", "directory /no/such/dir not found" },
        { "--env=dev --env=prod", "--env is given 2 times" },
        { "--env", "--env needs a value: --env=dev" },
        { "--confirm", "--confirm needs a value: --confirm=prod" },
        { "--terraform-plugin-dir", "--terraform-plugin-dir needs a value: --terraform-plugin-dir=DIR" },
        { "--verbosity=loud", "--verbosity=loud is not valid: use quiet, minimal, normal, verbose or diagnostic" },
        { "--target=Checkpoint2 --env=prod", "refusing to change prod without --confirm=prod" },
        { "--install-tools=maybe", "--install-tools=maybe is not valid" },
        { "--target=Chekpoint2", "the target 'Chekpoint2' was not found: did you mean 'Checkpoint2'" },
        { "--target=Validate --revision=HEAD~1", "--revision is read only by RollbackInfrastructure and RollbackApp" },
        { "--target=Tenants --apply-plan=README.md", "--apply-plan is read only by ApplyInfrastructure and RollbackInfrastructure" },
        { "--target=Doctor --git-token-file=README.md", "--git-token-file is read only by ConfigureRepositoryAccess" },
        { "--target=DeployApp --env=prod", "refusing to change prod without --confirm=prod" },
        { "--target=RollbackApp --env=prod --revision=3", "refusing to change prod without --confirm=prod" },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void A_bad_option_is_refused_with_exit_2_and_one_line(string arguments, string message)
    {
        File.WriteAllText(_repo.Path("README.md"), "a file to name");
        var before = Tree();

        var result = BuildRun.Platform([.. arguments.Split(' '), $"--working={_repo.Root}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(result.Output.Split('\n'), l => l.Contains(message, StringComparison.Ordinal) && !l.Contains('\r'));
        AssertUnchanged(before);
    }

    public static TheoryData<string, string?, string, string> Environments => new()
    {
        // (PLATFORM_TERRAFORM_OUTPUTS, text of terraform/outputs/dev-terraform-outputs.json, extra argument, message)
        { "prod-fixture", null, string.Empty, "holds the outputs of prod, not of --env=dev: unset it" },
        { "/no/such/outputs.json", null, string.Empty, "PLATFORM_TERRAFORM_OUTPUTS=/no/such/outputs.json: does not exist" },
        { "malformed", null, string.Empty, "is not valid JSON (line 1)" },
        { string.Empty, "{\"environment\": {\"value\": \"prod\"}}", string.Empty, "terraform/outputs/dev-terraform-outputs.json: holds the outputs of prod, not of dev" },
        { string.Empty, "{\"cluster_name\": ", string.Empty, "terraform/outputs/dev-terraform-outputs.json: is not valid JSON" },
        { string.Empty, "{}", string.Empty, "terraform/outputs/dev-terraform-outputs.json: has no environment output" },
        { string.Empty, "dev-fixture", "kubeconfig-of-prod", "its cluster is https://platform-prod-api" },
    };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Another_environments_input_is_refused_before_any_task(string outputsVariable, string? outputsFile, string extra, string message)
    {
        var named = outputsVariable switch
        {
            "prod-fixture" => _repo.Path("ansible/inventory/fixtures/prod-terraform-outputs.json"),
            "malformed" => _repo.Path("malformed.json"),
            _ => outputsVariable,
        };
        File.WriteAllText(_repo.Path("malformed.json"), "{\"environment\": ");
        if (outputsFile is not null)
        {
            _repo.Write("terraform/outputs/dev-terraform-outputs.json", outputsFile == "dev-fixture" ? File.ReadAllText(_repo.Path("ansible/inventory/fixtures/dev-terraform-outputs.json")) : outputsFile);
        }

        var arguments = new List<string> { $"--working={_repo.Root}", "--target=ExecuteKubernetesSetup", "--env=dev" };
        if (extra == "kubeconfig-of-prod")
        {
            _repo.Write("kubeconfig", "apiVersion: v1\nkind: Config\nclusters:\n  - name: c\n    cluster: {server: \"https://platform-prod-api-0123456789abcdef.elb.eu-west-1.amazonaws.com:6443\"}\ncontexts:\n  - name: c\n    context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n  - name: u\n    user: {token: t}\n");
            arguments.Add($"--kubeconfig={_repo.Path("kubeconfig")}");
        }

        var before = Tree();
        using var env = new EnvironmentScope().Set(EnvironmentBinding.OutputsVariable, named.Length > 0 ? named : null);

        var result = BuildRun.Platform([.. arguments]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Output.Split('\n'), l => l.Contains(message, StringComparison.Ordinal));
        AssertUnchanged(before);
    }

    public static TheoryData<string, string, string> CatalogInputs => new()
    {
        { "    description: Organization B\n", "    description: Organization B\n    desciption: typo\n", "organizations[1].desciption: is not a known field here" },
        { "      - {name: prod, size: medium}\n", "      - {name: prod, size: huge}\n", "'huge' is not one of the sizes" },
        { "requestsMemory: 4Gi", "requestsMemory: 4 gigs", "'4 gigs' is not a Kubernetes quantity" },
        { "  - name: org-b\n", "  - name: org-a\n", "organizations[1].name: 'org-a' is declared twice" },
        { "  - name: org-b\n", "  - name: Org_B\n", "'Org_B' must be lowercase" },
        { "      - https://github.com/org-b/*", "      - '*'", "'*' must be a Git URL" },
        { "cidr: 10.30.240.0/22", "cidr: 10.0.0.0/8", "is wider than /16" },
        { "cidr: 10.30.240.0/22", "cidr: 169.254.0.0/16", "holds the instance metadata address" },
        { "cidr: 10.30.240.0/22, ports: [5432]", "cidr: 10.30.240.0/22, ports: [postgres]", "'postgres' is not a port number" },
        { "    namespace: monitoring\n", "    namespace: org-a-dev\n", "namespace 'org-a-dev' would be used twice" },
        { "      - \"*.org-b.platform.example.com\"", "      - sso.platform.example.com", "overlaps 'sso.platform.example.com' of org-a" },
        { "      - \"*.org-b.platform.example.com\"", "      - \"*.com\"", "would claim a whole top-level domain" },
        { "      - {name: prod, size: medium}\n", "      - {name: prod, size: medium, cluster: staging}\n", "'staging' is not a cluster of the platform" },
        { "  - name: org-b\n", "  - name: dev\n", "'dev' is the name of a cluster or a rendered folder" },
        { "groups: [system:masters,", "groups: [system:authenticated,", "holds tenants' identities too" },
        { "bindableClusterRoles: [view]", "bindableClusterRoles: [view, edit]", "'edit' can change RBAC or guardrails" },
        { "platform:\n", "platform:\n  repoURL: [unclosed\n", "(syntax)" },
    };

    [Theory]
    [MemberData(nameof(CatalogInputs))]
    public void A_bad_catalog_fails_the_Tenants_target_with_one_line_and_writes_nothing(string find, string replace, string message)
    {
        var text = _repo.Read(Catalog);
        Assert.Contains(find, text);
        _repo.Write(Catalog, text.Replace(find, replace, StringComparison.Ordinal));
        var before = Tree();

        var result = BuildRun.Platform($"--working={_repo.Root}", "--target=Tenants");

        Assert.Equal(1, result.ExitCode);
        var row = ReportFile.Row(_repo.Root, "Tenants", "Tenant manifests rendered");
        Assert.Equal("Failed", row.Status);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(Catalog)}:\\d+: ", row.Detail);
        Assert.Contains(message, row.Detail);
        Assert.DoesNotContain('\n', row.Detail);
        AssertUnchanged(before);
    }

    public static TheoryData<string, string, string> InventoryInputs => new()
    {
        // (output to change, its new value as JSON, message)
        { "environment", "\"prod\"", "holds the outputs of 'prod', not 'dev'" },
        { "worker_private_ips", "\"10.20.10.10\"", "worker_private_ips must be a list" },
        { "worker_private_ips", "[\"10.20.10.999\", \"10.20.11.10\"]", "worker_private_ips[0] is '10.20.10.999', not an IPv4 address" },
        { "worker_instance_ids", "[\"web-1\", \"i-0de1000000000001\"]", "not an EC2 instance id" },
        { "worker_instance_ids", "[\"i-0de0000000000000\"]", "differ in length" },
        { "control_plane_nodes", "[]", "control_plane_nodes is empty" },
        { "cluster_name", "42", "cluster_name must be a non-empty string" },
        { "region", "\"\"", "region must be a non-empty string" },
        { "worker_instance_ids", "\"i-0de0000000000000\"", "worker_instance_ids must be a list" },
        { "control_plane_nodes", "[{\"name\": \"cp\"}]", "control_plane_nodes[0] needs name, private_ip, availability_zone and instance_id" },
    };

    [Theory]
    [MemberData(nameof(InventoryInputs))]
    public void Bad_inventory_input_is_one_line_on_stderr_and_exit_1(string output, string value, string message)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_repo.Path("ansible/inventory/fixtures/dev-terraform-outputs.json")))!;
        node[output] = new System.Text.Json.Nodes.JsonObject { ["value"] = System.Text.Json.Nodes.JsonNode.Parse(value) };
        var outputs = _repo.Path("bad-outputs.json");
        File.WriteAllText(outputs, node.ToJsonString());
        var before = Tree();

        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(_repo.Path("ansible/inventory/dev/terraform-inventory.py"));
        start.Environment[EnvironmentBinding.OutputsVariable] = outputs;
        using var script = Process.Start(start)!;
        var stderr = script.StandardError.ReadToEnd();
        script.WaitForExit();

        Assert.Equal(1, script.ExitCode);
        var line = Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith($"terraform-inventory: {outputs}: ", line);
        Assert.Contains(message, line);
        Assert.DoesNotContain("Traceback", stderr);
        AssertUnchanged(before);
    }
}
