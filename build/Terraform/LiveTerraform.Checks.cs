using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>Task 1.6's live checks after an apply: outputs saved, every node reachable over SSH or SSM.</summary>
public sealed partial class LiveTerraform
{
    /// <summary>"Outputs saved and accessible": the outputs file has what the inventory reads.</summary>
    public static Outcome OutputsSaved(BuildContext context)
    {
        var path = context.Paths.TerraformOutputs;
        var shown = context.Paths.Relative(path);
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            string[] required = ["cluster_name", "environment", "control_plane_nodes", "worker_private_ips", "api_lb_dns_name", "ssh_user", "pod_cidr", "service_cidr"];
            var missing = required.Where(k => !json.RootElement.TryGetProperty(k, out var o) || !o.TryGetProperty("value", out _)).ToList();
            return Outcome.FromFindings(missing.Select(k => $"{shown}: no output {k}").ToList(), $"{shown}: {json.RootElement.EnumerateObject().Count()} outputs, as the Ansible inventory needs");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return Outcome.Fail($"{shown}: {e.Message}");
        }
    }

    /// <summary>
    /// "Can SSH to instances" (or reach them at all): with SSH enabled, each node
    /// answers on 22 with an SSH banner; in the default SSM-only setup, each
    /// node's SSM agent is registered and Online (Session Manager can open a shell).
    /// </summary>
    public static async Task<Outcome> NodesReachable(BuildContext context, TimeSpan timeout, Func<string, IAmazonSimpleSystemsManagement>? ssm = null)
    {
        Outputs outputs;
        try
        {
            outputs = Outputs.Read(await File.ReadAllTextAsync(context.Paths.TerraformOutputs).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Outcome.Fail($"{context.Paths.Relative(context.Paths.TerraformOutputs)}: {e.Message}");
        }

        if (outputs.Addresses.Count == 0)
        {
            return Outcome.Fail("the outputs list no instance addresses");
        }

        if (!outputs.SshEnabled)
        {
            using var client = (ssm ?? Aws.SystemsManager)(outputs.Region);
            return await SsmOnline(outputs.InstanceIds, client).ConfigureAwait(false);
        }

        var results = await Task.WhenAll(outputs.Addresses.Select(a => Network.SshBanner(a, timeout))).ConfigureAwait(false);
        var failed = results.Where(r => r.Error is not null).Select(r => $"{r.Address}: {r.Error}").ToList();
        return Outcome.FromFindings(failed, $"{outputs.Addresses.Count} nodes answer SSH on 22 ({results[0].Banner})");
    }

    /// <summary>Every instance is registered with SSM and its agent is Online.</summary>
    public static async Task<Outcome> SsmOnline(IReadOnlyList<string> instanceIds, IAmazonSimpleSystemsManagement ssm)
    {
        var status = new Dictionary<string, string>();
        string? next = null;
        do
        {
            var page = await ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
            {
                Filters = [new InstanceInformationStringFilter { Key = "InstanceIds", Values = [.. instanceIds] }],
                NextToken = next,
            }).ConfigureAwait(false);
            foreach (var info in page.InstanceInformationList ?? [])
            {
                status[info.InstanceId] = info.PingStatus?.Value ?? "Unknown";
            }

            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        var findings = instanceIds
            .Select(id => !status.TryGetValue(id, out var ping) ? $"{id}: not registered with SSM (agent not running, no route to SSM, or the role lacks AmazonSSMManagedInstanceCore)"
                : ping != "Online" ? $"{id}: SSM agent {ping}"
                : null)
            .OfType<string>()
            .ToList();
        return Outcome.FromFindings(findings, $"{instanceIds.Count} nodes Online in SSM (aws ssm start-session --target <instance id>)");
    }

    /// <summary>What the reachability check reads from the outputs file.</summary>
    private sealed record Outputs(string Region, bool SshEnabled, IReadOnlyList<string> Addresses, IReadOnlyList<string> InstanceIds)
    {
        public static Outputs Read(string text)
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            JsonElement Value(string name) => root.GetProperty(name).GetProperty("value");
            IEnumerable<string> Strings(string name) => root.TryGetProperty(name, out _) ? Value(name).EnumerateArray().Select(v => v.GetString()!) : [];
            var controlPlane = root.TryGetProperty("control_plane_nodes", out _) ? Value("control_plane_nodes").EnumerateArray().ToList() : [];
            return new Outputs(
                Value("region").GetString()!,
                root.TryGetProperty("ssh_enabled", out _) && Value("ssh_enabled").GetBoolean(),
                [.. controlPlane.Select(n => n.GetProperty("private_ip").GetString()!).Concat(Strings("worker_private_ips"))],
                [.. controlPlane.Select(n => n.GetProperty("instance_id").GetString()!).Concat(Strings("worker_instance_ids"))]);
        }
    }
}
