using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>The offline plans of both environments: the resources each should have and the plan rules.</summary>
public static partial class TerraformChecks
{
    /// <summary>A plan rule over both environments' offline plans; optionally only for one module's resources.</summary>
    public static Outcome Policy(BuildContext context, Func<PlanDocument, IEnumerable<PlanFinding>> rule, string what, string? module = null) =>
        WithPlans(context, plans =>
        {
            var findings = plans
                .SelectMany(p => rule(p.Plan!).Where(f => module is null || f.Address.StartsWith($"{PlanDocument.ModuleAddress(module)}.", StringComparison.Ordinal)).Select(f => $"{p.Environment}: {f}"))
                .ToList();
            return Outcome.FromFindings(findings, $"{what} (dev and prod plans)");
        });

    /// <summary>Both environments plan offline, create only, with the resources each should have, and pass every plan rule.</summary>
    public static Outcome ExpectedResources(BuildContext context) =>
        WithPlans(context, plans =>
        {
            var findings = new List<string>();
            foreach (var (environment, plan, _) in plans)
            {
                findings.AddRange(Expected(plan!, environment).Select(f => $"{environment}: {f}"));
                findings.AddRange(PlanPolicy.All(plan!).Select(f => $"{environment}: {f}"));
            }

            var counts = plans.Select(p => $"{p.Environment}: {p.Plan!.Resources.Count(r => r.Mode == "managed")} to create");
            return Outcome.FromFindings(findings, $"{string.Join(", ", counts)}; plans and JSON in {context.Paths.Relative(context.TerraformSession.Output)}/");
        });

    /// <summary>What each environment must plan: its control plane, NAT gateways, subnets, load balancers, workers.</summary>
    public static IEnumerable<string> Expected(PlanDocument plan, string environment)
    {
        var zones = plan.OfType("aws_subnet").Count(s => s.Address.Contains(".private[", StringComparison.Ordinal));
        var expected = new Dictionary<string, int>
        {
            ["aws_vpc"] = 1,
            ["aws_default_security_group"] = 1,
            ["aws_flow_log"] = 1,
            ["aws_instance"] = environment == "prod" ? 3 : 1,
            ["aws_nat_gateway"] = environment == "prod" ? zones : 1,
            ["aws_subnet"] = 2 * zones,
            ["aws_autoscaling_group"] = 1,
            ["aws_lb"] = 2,
            ["aws_security_group"] = 4,
            ["aws_launch_template"] = 2,
        };
        foreach (var (type, count) in expected)
        {
            var planned = plan.OfType(type).Count();
            if (planned != count)
            {
                yield return $"plans {planned} {type}, expected {count}";
            }
        }

        if (environment == "prod" && zones < 3)
        {
            yield return $"prod spans {zones} zones; it needs 3";
        }

        foreach (var resource in plan.Resources.Where(r => r.Mode == "managed" && r.Action != "create"))
        {
            yield return $"{resource.Address}: {resource.Action} in a plan from empty state";
        }
    }
}
