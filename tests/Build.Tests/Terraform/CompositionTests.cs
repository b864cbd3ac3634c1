using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>
/// The environments' wiring moved into modules/platform and the launch
/// templates into one for_each (issue 12): a state made from the code before
/// that (Fixtures/pre-composition, by tests/terraform/make-state.sh) plans
/// moves and no-ops only with today's code. A replaced NAT gateway or
/// instance would be an outage; this is what would show it.
/// </summary>
public sealed class CompositionTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("terraform", "tests/Build.Tests/Terraform/Fixtures");
    private readonly FakeEc2 _ec2 = new();

    public void Dispose()
    {
        _ec2.Dispose();
        _repo.Dispose();
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void A_state_from_before_the_composition_module_plans_moves_and_nothing_else(string environment)
    {
        var changes = PlanAgainstOldState(environment);

        Assert.NotEmpty(changes);

        // Modules added after these states were made (the etcd backups) are created, and only they:
        // every resource the old state holds is moved or left alone.
        var added = changes.Where(c => NewSinceTheFixtures.Any(m => c.Address.StartsWith(m, StringComparison.Ordinal))).ToList();
        Assert.All(added, c => Assert.True(c.Actions is "create" or "read" && c.Previous is null, $"{c.Address}: {c.Actions}"));
        Assert.Contains(added, c => c.Actions == "create");
        changes = [.. changes.Except(added)];
        Assert.All(changes, c => Assert.True(c.Actions is "no-op" or "read", $"{c.Address}: {c.Actions} (was {c.Previous})"));
        var moved = changes.Where(c => c.Previous is not null).ToList();
        Assert.Equal(changes.Count(c => c.Actions == "no-op"), moved.Count);
        Assert.Contains(moved, c => c.Previous == "module.compute.aws_launch_template.worker"
            && c.Address == "module.platform.module.compute.aws_launch_template.this[\"worker\"]");
        Assert.Contains(moved, c => c.Previous == "module.vpc.aws_vpc.this" && c.Address == "module.platform.module.vpc.aws_vpc.this");
    }

    [Fact]
    public void The_proof_fails_when_a_moved_block_is_missing()
    {
        // Without its moved block the worker template is destroyed and made anew.
        var compute = _repo.Read("terraform/modules/compute/main.tf");
        var block = "moved {\n  from = aws_launch_template.worker\n  to   = aws_launch_template.this[\"worker\"]\n}\n";
        Assert.Contains(block, compute);
        _repo.Write("terraform/modules/compute/main.tf", compute.Replace(block, string.Empty, StringComparison.Ordinal));

        var changes = PlanAgainstOldState("dev");

        Assert.Contains(changes, c => c.Address == "module.platform.module.compute.aws_launch_template.this[\"worker\"]" && c.Actions == "create");
        Assert.Contains(changes, c => c.Address.EndsWith(".aws_launch_template.worker", StringComparison.Ordinal) && c.Actions == "delete");
    }

    private sealed record Change(string Address, string? Previous, string Actions);

    /// <summary>Modules the pre-composition states cannot hold: they came later.</summary>
    private static readonly string[] NewSinceTheFixtures = ["module.platform.module.backup."];

    private List<Change> PlanAgainstOldState(string environment)
    {
        var folder = _repo.Path($"terraform/environments/{environment}");
        File.Copy(_repo.Path($"tests/Build.Tests/Terraform/Fixtures/pre-composition/{environment}.state.json"), Path.Combine(folder, "terraform.tfstate"));
        // The build's own offline override, with EC2 pointed at the loopback stand-in.
        var overrideText = TerraformWorkspace.OfflineOverride.Replace("  max_retries                 = 1\n", $"  max_retries                 = 1\n  endpoints {{\n    ec2 = \"{_ec2.Url}\"\n  }}\n", StringComparison.Ordinal);
        Assert.Contains(_ec2.Url, overrideText);
        File.WriteAllText(Path.Combine(folder, TerraformWorkspace.OverrideFile), overrideText);
        Terraform(folder, "init", "-input=false", "-backend=true");
        Terraform(folder, "plan", "-input=false", "-refresh=false", "-lock=false", "-var-file=terraform.tfvars.example", "-out=proof.tfplan");
        using var plan = JsonDocument.Parse(Terraform(folder, "show", "-json", "proof.tfplan"));
        return [.. plan.RootElement.GetProperty("resource_changes").EnumerateArray().Select(c => new Change(
            c.GetProperty("address").GetString()!,
            c.TryGetProperty("previous_address", out var previous) ? previous.GetString() : null,
            string.Join('-', c.GetProperty("change").GetProperty("actions").EnumerateArray().Select(a => a.GetString()))))];
    }

    private static string Terraform(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("terraform") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TF_IN_AUTOMATION"] = "1";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"terraform {string.Join(' ', arguments)} in {folder}: exit {process.ExitCode}\n{output}\n{error.Result}");
        return output;
    }

    /// <summary>
    /// EC2 on loopback answering every call with nothing (no instances, no
    /// tags): compute's data.aws_instances reads at plan time once its group
    /// is in the state, and must not reach AWS.
    /// </summary>
    private sealed class FakeEc2 : IDisposable
    {
        private readonly HttpListener _listener = new();

        public FakeEc2()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(Serve);
        }

        public string Url { get; }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                var action = (await reader.ReadToEndAsync()).Split('&').FirstOrDefault(p => p.StartsWith("Action=", StringComparison.Ordinal))?[7..] ?? "Unknown";
                var body = System.Text.Encoding.UTF8.GetBytes(
                    $"""<?xml version="1.0" encoding="UTF-8"?><{action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId><reservationSet/><tagSet/></{action}Response>""");
                context.Response.ContentType = "text/xml";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
