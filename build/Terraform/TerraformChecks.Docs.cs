using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>The READMEs and interfaces of the modules: usage, tables that match the configuration, the ports the rules open.</summary>
public static partial class TerraformChecks
{
    /// <summary>A README with a Usage section that shows the commands.</summary>
    public static Outcome ReadmeUsage(BuildContext context, string readme)
    {
        var path = context.Paths.Combine(readme);
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented($"{readme} does not exist");
        }

        var text = File.ReadAllText(path);
        var usage = Regex.Match(text, @"^## Usage\s*$(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        return !usage.Success ? Outcome.Fail($"{readme} has no '## Usage' section")
            : !usage.Groups[1].Value.Contains("./build.sh --target=", StringComparison.Ordinal) ? Outcome.Fail($"{readme}: the Usage section shows no ./build.sh command")
            : Outcome.Pass($"{readme}: Usage section with the build commands");
    }

    /// <summary>The module's README tables equal what its configuration says, and it has a usage example.</summary>
    public static Outcome ModuleReadme(BuildContext context, string module)
    {
        var readme = $"terraform/modules/{module}/README.md";
        var path = context.Paths.Combine(readme);
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented($"{readme} does not exist");
        }

        return WithPlan(context, "dev", plan =>
        {
            if (plan.ModuleConfiguration(module) is not { } configuration)
            {
                return Outcome.Fail($"the dev environment does not call module {module}");
            }

            var text = File.ReadAllText(path);
            var findings = new List<string>();
            var expected = TerraformDocs.Render(configuration, File.ReadAllText(context.Paths.Combine($"terraform/modules/{module}/variables.tf")));
            try
            {
                if (TerraformDocs.Embed(text, expected, readme) != text)
                {
                    findings.Add($"{readme}: the inputs/outputs tables are out of date: run ./build.sh --target=TerraformDocs");
                }
            }
            catch (InvalidOperationException e)
            {
                findings.Add(e.Message);
            }

            if (!text.Contains("```hcl", StringComparison.Ordinal) || !text.Contains($"source = \"../../modules/{module}\"", StringComparison.Ordinal))
            {
                findings.Add($"{readme}: no usage example (an hcl block calling the module)");
            }

            findings.AddRange(TerraformDocs.Undescribed(configuration).Select(u => $"terraform/modules/{module}: {u} has no description"));
            return Outcome.FromFindings(findings, $"{readme}: usage, and tables matching the configuration");
        });
    }

    /// <summary>The module declares the variables and outputs the spec asks for.</summary>
    public static Outcome ModuleInterface(BuildContext context, string module, string[] variables, string[] outputs) =>
        WithPlan(context, "dev", plan =>
        {
            if (plan.ModuleConfiguration(module) is not { } configuration)
            {
                return Outcome.Fail($"the dev environment does not call module {module}");
            }

            var declaredVariables = Names(configuration, "variables");
            var declaredOutputs = Names(configuration, "outputs");
            var findings = variables.Where(v => !declaredVariables.Contains(v)).Select(v => $"terraform/modules/{module}: no variable {v}")
                .Concat(outputs.Where(o => !declaredOutputs.Contains(o)).Select(o => $"terraform/modules/{module}: no output {o}"))
                .ToList();
            return Outcome.FromFindings(findings, $"terraform/modules/{module}: outputs {string.Join(", ", outputs)}");
        });

    /// <summary>Every port the plans open appears in the security module's README.</summary>
    public static Outcome PortsDocumented(BuildContext context)
    {
        var readme = context.Paths.Combine("terraform/modules/security/README.md");
        if (!File.Exists(readme))
        {
            return Outcome.NotImplemented("terraform/modules/security/README.md does not exist");
        }

        var text = File.ReadAllText(readme);
        return WithPlans(context, plans =>
        {
            var ports = plans.SelectMany(p => p.Plan!.OfType("aws_vpc_security_group_ingress_rule").Concat(p.Plan.OfType("aws_vpc_security_group_egress_rule")))
                .Select(PortSpec)
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList();
            var undocumented = ports.Where(p => !text.Contains(p, StringComparison.Ordinal)).Select(p => $"terraform/modules/security/README.md does not document {p}").ToList();
            return Outcome.FromFindings(undocumented, $"README documents every rule's port: {string.Join(", ", ports)}");
        });
    }

    public static string PortSpec(PlannedResource rule)
    {
        var protocol = rule.String("ip_protocol");
        if (protocol is "-1")
        {
            return "all traffic";
        }

        if (protocol is "icmp")
        {
            return "ICMP echo";
        }

        var from = rule.Property("from_port")?.GetInt32();
        var to = rule.Property("to_port")?.GetInt32();
        return from == to ? $"{from}/{protocol}" : $"{from}-{to}/{protocol}";
    }

    private static HashSet<string> Names(JsonElement module, string kind) =>
        module.TryGetProperty(kind, out var items) ? [.. items.EnumerateObject().Select(p => p.Name)] : [];
}
