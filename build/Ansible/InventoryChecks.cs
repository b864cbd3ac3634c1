using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Ansible;

/// <summary>
/// Task 2.2: the dynamic inventory, run by ansible-inventory against outputs
/// files. Offline it reads the fixtures (the environments' output shape);
/// live it reads the real outputs of Task 1.6.
/// </summary>
public static partial class InventoryChecks
{
    public static string Script(BuildContext context) => Path.Combine(context.Paths.Ansible, "inventory", context.Options.EnvironmentName, "terraform-inventory.py");

    public static string Fixture(BuildContext context, string? environment = null) =>
        Path.Combine(context.Paths.Ansible, "inventory", "fixtures", $"{environment ?? context.Options.EnvironmentName}-terraform-outputs.json");

    /// <summary>ansible-inventory --list of --env's inventory with the given outputs file, parsed.</summary>
    public static (JsonDocument? Inventory, string? Error) List(BuildContext context, string outputs)
    {
        var settings = new AnsibleInventorySettings
        {
            Inventory = Script(context),
            WorkingDirectory = context.Paths.Ansible,
            ConfigFile = Path.Combine(context.Paths.Ansible, "ansible.cfg"),
        };
        settings.EnvironmentVariables["PLATFORM_TERRAFORM_OUTPUTS"] = outputs;
        var result = context.AnsibleInventory(settings);
        if (!result.Succeeded)
        {
            return (null, result.Tail(3));
        }

        try
        {
            return (JsonDocument.Parse(result.Text), null);
        }
        catch (JsonException e)
        {
            return (null, $"ansible-inventory printed no inventory ({e.Message})");
        }
    }

    /// <summary>The workers of --env's real inventory (the Terraform outputs of Task 1.6).</summary>
    public static IReadOnlyList<string> Workers(BuildContext context)
    {
        var (inventory, error) = List(context, context.Paths.TerraformOutputs);
        using (inventory)
        {
            return inventory?.RootElement.GetProperty("workers").GetProperty("hosts").EnumerateArray().Select(h => h.GetString()!).ToList()
                ?? throw new InvalidOperationException($"the inventory of {context.Options.EnvironmentName} cannot be read: {error}");
        }
    }

    /// <summary>"ansible-inventory --list shows hosts": one host per node of the outputs.</summary>
    public static Outcome ShowsHosts(BuildContext context) => WithFixture(context, (inventory, fixture) =>
    {
        var hosts = inventory.RootElement.GetProperty("_meta").GetProperty("hostvars").EnumerateObject().Select(h => h.Name).ToList();
        var expected = fixture.RootElement.GetProperty("control_plane_nodes").GetProperty("value").GetArrayLength()
            + fixture.RootElement.GetProperty("worker_private_ips").GetProperty("value").GetArrayLength();
        return hosts.Count == expected
            ? Outcome.Pass($"{hosts.Count} hosts from {Shown(context, Fixture(context))}: {string.Join(", ", hosts)}")
            : Outcome.Fail($"{hosts.Count} hosts listed, the outputs have {expected} nodes");
    });

    /// <summary>"Hosts grouped correctly": control_plane and workers under k8s_cluster, the first control plane marked.</summary>
    public static Outcome Grouped(BuildContext context) => WithFixture(context, (inventory, fixture) =>
    {
        var root = inventory.RootElement;
        var findings = new List<string>();
        string[] Hosts(string group) => root.TryGetProperty(group, out var g) && g.TryGetProperty("hosts", out var h) ? [.. h.EnumerateArray().Select(x => x.GetString()!)] : [];
        string[] Children(string group) => root.TryGetProperty(group, out var g) && g.TryGetProperty("children", out var c) ? [.. c.EnumerateArray().Select(x => x.GetString()!)] : [];

        var controlPlane = Hosts("control_plane");
        var workers = Hosts("workers");
        if (!Children("k8s_cluster").Order().SequenceEqual(["control_plane", "workers"]))
        {
            findings.Add("k8s_cluster must have the children control_plane and workers");
        }

        var fixtureNames = fixture.RootElement.GetProperty("control_plane_nodes").GetProperty("value").EnumerateArray().Select(n => n.GetProperty("name").GetString()).ToList();
        if (!controlPlane.SequenceEqual(fixtureNames))
        {
            findings.Add($"control_plane is [{string.Join(", ", controlPlane)}], the outputs name [{string.Join(", ", fixtureNames)}] (in order: the first initialises the cluster)");
        }

        if (workers.Length != fixture.RootElement.GetProperty("worker_private_ips").GetProperty("value").GetArrayLength())
        {
            findings.Add($"workers has {workers.Length} hosts");
        }

        var hostvars = root.GetProperty("_meta").GetProperty("hostvars");
        var first = controlPlane.Where(h => hostvars.GetProperty(h).TryGetProperty("first_control_plane", out var f) && f.GetBoolean()).ToList();
        if (first.Count != 1 || first[0] != controlPlane.FirstOrDefault())
        {
            findings.Add("exactly the first control-plane host must have first_control_plane: true");
        }

        return Outcome.FromFindings(findings, $"k8s_cluster: control_plane ({controlPlane.Length}), workers ({workers.Length})");
    });

    /// <summary>"Variables accessible": host, cluster and group variables reach every host.</summary>
    public static Outcome Variables(BuildContext context) => WithFixture(context, (inventory, fixture) =>
    {
        var findings = new List<string>();
        var root = inventory.RootElement;
        var controlPlane = root.GetProperty("control_plane").GetProperty("hosts").EnumerateArray().Select(h => h.GetString()).ToHashSet();
        string[] everyHost = ["ansible_host", "node_role", "instance_id", "cluster_name", "platform_environment", "api_lb_dns_name", "pod_cidr", "service_cidr", "k8s_version"];
        foreach (var host in root.GetProperty("_meta").GetProperty("hostvars").EnumerateObject())
        {
            var wanted = everyHost.Concat(controlPlane.Contains(host.Name) ? ["k8s_audit_log_max_age_days"] : ["k8s_worker_labels"]);
            findings.AddRange(wanted.Where(v => !host.Value.TryGetProperty(v, out _)).Select(v => $"{host.Name}: no {v}"));
        }

        return Outcome.FromFindings(findings, "every host has its address, role, the cluster's variables and its group_vars");
    });

    /// <summary>"Bad outputs files are one-line errors": each mistake exits 1 with one line on stderr naming the file.</summary>
    public static Outcome BadInput(BuildContext context)
    {
        if (!File.Exists(Script(context)))
        {
            return Outcome.NotImplemented($"{Shown(context, Script(context))} does not exist");
        }

        var folder = Path.Combine(context.Paths.Artifacts, "ansible", "bad-outputs");
        Directory.CreateDirectory(folder);
        var noControlPlane = System.Text.Json.Nodes.JsonNode.Parse(File.Exists(Fixture(context)) ? File.ReadAllText(Fixture(context)) : "{}")!;
        noControlPlane["control_plane_nodes"] = new System.Text.Json.Nodes.JsonObject { ["value"] = new System.Text.Json.Nodes.JsonArray() };
        // The fixture with one output changed: wrong environment, wrong types, bad addresses and ids.
        string Changed(string output, System.Text.Json.Nodes.JsonNode value)
        {
            var copy = System.Text.Json.Nodes.JsonNode.Parse(File.Exists(Fixture(context)) ? File.ReadAllText(Fixture(context)) : "{}")!;
            copy[output] = new System.Text.Json.Nodes.JsonObject { ["value"] = value };
            return copy.ToJsonString();
        }

        var other = context.Options.EnvironmentName == "prod" ? "dev" : "prod";
        var cases = new (string Name, string? Text, string Expected)[]
        {
            ("missing.json", null, "written by Task 1.6"),
            ("malformed.json", "{\"cluster_name\": ", "not valid JSON"),
            ("missing-keys.json", "{\"cluster_name\": {\"value\": \"platform\"}}", "missing outputs"),
            ("empty-control-plane.json", noControlPlane.ToJsonString(), "control_plane_nodes is empty"),
            ("other-environment.json", Changed("environment", other), $"holds the outputs of '{other}'"),
            ("workers-a-string.json", Changed("worker_private_ips", "10.20.10.10"), "worker_private_ips must be a list"),
            ("bad-address.json", Changed("worker_private_ips", new System.Text.Json.Nodes.JsonArray("10.20.10.999", "10.20.11.10")), "worker_private_ips[0] is '10.20.10.999', not an IPv4 address"),
            ("bad-instance-id.json", Changed("worker_instance_ids", new System.Text.Json.Nodes.JsonArray("web-1", "i-0de1000000000001")), "worker_instance_ids[0] is 'web-1', not an EC2 instance id"),
            ("unequal-workers.json", Changed("worker_instance_ids", new System.Text.Json.Nodes.JsonArray("i-0de0000000000000")), "differ in length"),
        };
        var findings = new List<string>();
        foreach (var (name, text, expected) in cases)
        {
            var path = Path.Combine(folder, name);
            if (text is null)
            {
                File.Delete(path);
            }
            else
            {
                File.WriteAllText(path, text);
            }

            var settings = new PlatformToolSettings { WorkingDirectory = context.Paths.Ansible };
            settings.EnvironmentVariables["PLATFORM_TERRAFORM_OUTPUTS"] = path;
            var result = context.RunCommand("python3", settings, Script(context));
            var errors = result.Error.Where(l => l.Length > 0).ToList();
            if (result.ExitCode == 0 || errors.Count != 1 || !errors[0].Contains(expected, StringComparison.Ordinal) || !errors[0].Contains(path, StringComparison.Ordinal))
            {
                findings.Add($"{name}: exit {result.ExitCode}, stderr [{string.Join(" | ", errors)}]; expected one line naming the file and saying '{expected}'");
            }
        }

        return Outcome.FromFindings(findings, $"{cases.Length} bad outputs files: one line on stderr each, naming the file, exit 1");
    }

    /// <summary>The fixtures have exactly the outputs each environment declares, and the inventory reads them.</summary>
    public static Outcome FixturesMatch(BuildContext context)
    {
        var findings = new List<string>();
        foreach (var environment in new[] { "dev", "prod" })
        {
            var fixture = Fixture(context, environment);
            var outputs = context.Paths.Combine($"terraform/environments/{environment}/outputs.tf");
            if (!File.Exists(fixture) || !File.Exists(outputs))
            {
                return Outcome.NotImplemented($"{Shown(context, fixture)} or terraform/environments/{environment}/outputs.tf does not exist");
            }

            var declared = OutputName().Matches(File.ReadAllText(outputs)).Select(m => m.Groups[1].Value).ToHashSet();
            using var json = JsonDocument.Parse(File.ReadAllText(fixture));
            var present = json.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();
            findings.AddRange(declared.Except(present).Select(o => $"{Shown(context, fixture)} lacks output {o}"));
            findings.AddRange(present.Except(declared).Select(o => $"{Shown(context, fixture)} has output {o}, which {environment} does not declare"));
            findings.AddRange(json.RootElement.EnumerateObject().Where(p => !p.Value.TryGetProperty("value", out _)).Select(p => $"{Shown(context, fixture)}: {p.Name} is not in terraform output -json shape"));
        }

        return Outcome.FromFindings(findings, "the dev and prod fixtures have exactly the outputs the environments declare");
    }

    private static Outcome WithFixture(BuildContext context, Func<JsonDocument, JsonDocument, Outcome> check)
    {
        if (!File.Exists(Script(context)) || !File.Exists(Fixture(context)))
        {
            return Outcome.NotImplemented($"{Shown(context, Script(context))} or {Shown(context, Fixture(context))} does not exist");
        }

        var (inventory, error) = List(context, Fixture(context));
        if (inventory is null)
        {
            return Outcome.Fail($"ansible-inventory --list with {Shown(context, Fixture(context))}: {error}");
        }

        using (inventory)
        using (var fixture = JsonDocument.Parse(File.ReadAllText(Fixture(context))))
        {
            return check(inventory, fixture);
        }
    }

    private static string Shown(BuildContext context, string path) => context.Paths.Relative(path);

    [GeneratedRegex(@"(?m)^output\s+""(\w+)""")]
    private static partial Regex OutputName();
}
