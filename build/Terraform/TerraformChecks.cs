using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>
/// The Phase 1 checks. Everything that runs Terraform works in the build's
/// copy (<see cref="TerraformWorkspace"/>), offline; only fmt reads the sources.
/// </summary>
public static partial class TerraformChecks
{
    /// <summary><c>terraform fmt -check -recursive</c> over a folder of the sources (read-only).</summary>
    public static Outcome Fmt(BuildContext context, string folder)
    {
        if (Missing(context, folder) is { } missing)
        {
            return missing;
        }

        var result = context.TerraformFmt(new TerraformFmtSettings { WorkingDirectory = context.Paths.Root }, folder);
        return result.ExitCode switch
        {
            0 => Outcome.Pass($"{folder}: formatted"),
            3 => Outcome.Fail($"needs formatting: {string.Join(", ", result.Output.Where(l => l.Length > 0))}: run terraform fmt -recursive {folder}"),
            _ => Outcome.Fail($"{result.CommandLine}: {result.Tail()}"),
        };
    }

    /// <summary>init (offline, in the copy) and <c>terraform validate</c> of terraform/&lt;folder&gt;.</summary>
    public static Outcome Validate(BuildContext context, string folder)
    {
        if (Missing(context, $"terraform/{folder}") is { } missing)
        {
            return missing;
        }

        var init = context.Terraform.Workspace.Init(folder);
        if (!init.Succeeded)
        {
            return Outcome.Fail($"terraform/{folder}: terraform init failed: {TerraformSession.InitHint(init)}");
        }

        var validate = context.Terraform.Validate(folder);
        return validate.Succeeded
            ? Outcome.Pass($"terraform/{folder}: {validate.Output.LastOrDefault(l => l.Trim().Length > 0)?.Trim()}")
            : Outcome.Fail($"terraform/{folder}: {validate.Tail()}");
    }

    /// <summary>Both environments initialise and validate offline (the S3 backend replaced by a local one in the copy).</summary>
    public static Outcome InitEnvironments(BuildContext context)
    {
        var both = Outcome.All([.. TerraformSession.Environments.Select(e => Validate(context, $"environments/{e}"))]);
        return both.Status == CheckStatus.Passed
            ? Outcome.Pass("dev and prod initialise offline (in the build's copy, with a local backend instead of S3) and validate")
            : both;
    }

    /// <summary><c>terraform test</c> of a module: its mock-provider plan assertions and expect_failures cases.</summary>
    public static Outcome Test(BuildContext context, string module)
    {
        var tests = context.Paths.Combine($"terraform/modules/{module}/tests");
        if (!Directory.Exists(tests) || !Directory.EnumerateFiles(tests, "*.tftest.hcl").Any())
        {
            return Outcome.NotImplemented($"terraform/modules/{module}/tests has no .tftest.hcl files");
        }

        var init = context.Terraform.Workspace.Init($"modules/{module}");
        if (!init.Succeeded)
        {
            return Outcome.Fail($"terraform/modules/{module}: terraform init failed: {TerraformSession.InitHint(init)}");
        }

        var result = context.Terraform.Test(module);
        var summary = result.Output.LastOrDefault(l => l.StartsWith("Success!", StringComparison.Ordinal) || l.StartsWith("Failure!", StringComparison.Ordinal));
        return result.Succeeded
            ? Outcome.Pass($"terraform/modules/{module}: {summary ?? "passed"}")
            : Outcome.Fail($"terraform/modules/{module}: {summary ?? string.Empty} {string.Join("; ", result.Output.Where(l => l.Contains("... fail", StringComparison.Ordinal)).Select(l => l.Trim()))} {result.Tail(6)}".Trim());
    }

    /// <summary><c>shellcheck</c> of a script of the sources.</summary>
    public static Outcome Shellcheck(BuildContext context, string script)
    {
        if (!File.Exists(context.Paths.Combine(script)))
        {
            return Outcome.NotImplemented($"{script} does not exist");
        }

        var result = new ToolProbe(context, "shellcheck").Run(new PlatformToolSettings { WorkingDirectory = context.Paths.Root }, "--format=gcc", script);
        return result.Succeeded ? Outcome.Pass($"{script}: no findings") : Outcome.Fail(result.Tail());
    }

    /// <summary>The folders of the plan: three modules (each with tests) and two environments.</summary>
    public static Outcome Layout(BuildContext context)
    {
        if (!Directory.Exists(context.Paths.Combine("terraform")))
        {
            return Outcome.NotImplemented("terraform/ does not exist");
        }

        var expected = TerraformSession.Modules.SelectMany(m => new[] { $"terraform/modules/{m}", $"terraform/modules/{m}/tests" })
            .Concat(TerraformSession.Environments.Select(e => $"terraform/environments/{e}"));
        var missing = expected.Where(d => !Directory.Exists(context.Paths.Combine(d))).ToList();
        return missing.Count == 0
            ? Outcome.Pass("terraform/{modules/{vpc,compute,security,platform}/tests,environments/{dev,prod}}")
            : Outcome.NotImplemented($"missing folders: {string.Join(", ", missing)}");
    }

    /// <summary>terraform/.gitignore keeps state, plans, provider caches, real tfvars and overrides out of git.</summary>
    public static Outcome GitIgnore(BuildContext context)
    {
        var path = context.Paths.Combine("terraform/.gitignore");
        if (!File.Exists(path))
        {
            return Outcome.NotImplemented("terraform/.gitignore does not exist");
        }

        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToHashSet();
        string[] required = ["**/.terraform/*", "*.tfstate", "*.tfstate.*", "*.tfvars", "!*.tfvars.example", "*_override.tf", "*.tfplan", "outputs/"];
        var missing = required.Where(p => !lines.Contains(p)).ToList();
        return Outcome.FromFindings(missing.Select(p => $"terraform/.gitignore lacks '{p}'").ToList(), $"ignores {string.Join(" ", required)}");
    }

    /// <summary>
    /// Every module and environment has a versions.tf that requires Terraform
    /// 1.10 or later (S3-native locking) and pins hashicorp/aws to 5.x, in a
    /// range that admits the 5.100.0 this machine kind mirrors.
    /// </summary>
    public static Outcome VersionsPinned(BuildContext context)
    {
        var folders = TerraformSession.Modules.Select(m => $"terraform/modules/{m}").Concat(TerraformSession.Environments.Select(e => $"terraform/environments/{e}")).ToList();
        var findings = new List<string>();
        foreach (var folder in folders)
        {
            var path = context.Paths.Combine($"{folder}/versions.tf");
            if (!File.Exists(path))
            {
                findings.Add($"{folder}/versions.tf does not exist");
                continue;
            }

            var text = File.ReadAllText(path);
            var required = Regex.Match(text, @"required_version\s*=\s*"">=\s*(\d+)\.(\d+)");
            if (!required.Success || (int.Parse(required.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(required.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).CompareTo((1, 10)) < 0)
            {
                findings.Add($"{folder}/versions.tf: required_version must be \">= 1.10\" or later (S3-native state locking)");
            }

            if (!text.Contains("source  = \"hashicorp/aws\"", StringComparison.Ordinal) && !Regex.IsMatch(text, @"source\s*=\s*""hashicorp/aws"""))
            {
                findings.Add($"{folder}/versions.tf: hashicorp/aws is not a required provider");
            }

            var version = Regex.Match(text, @"version\s*=\s*""(>=\s*5\.\d+(\.\d+)?,\s*<\s*6\.0|~>\s*5\.\d+)""");
            if (!version.Success)
            {
                findings.Add($"{folder}/versions.tf: pin hashicorp/aws to 5.x (e.g. \">= 5.70, < 6.0\")");
            }
        }

        return Outcome.FromFindings(findings, $"{folders.Count} versions.tf: Terraform >= 1.10, hashicorp/aws 5.x");
    }

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

    /// <summary>A plan rule over both environments' offline plans; optionally only for one module's resources.</summary>
    public static Outcome Policy(BuildContext context, Func<PlanDocument, IEnumerable<string>> rule, string what, string? module = null) =>
        WithPlans(context, plans =>
        {
            var findings = plans
                .SelectMany(p => rule(p.Plan!).Where(f => module is null || f.StartsWith($"{PlanDocument.ModuleAddress(module)}.", StringComparison.Ordinal)).Select(f => $"{p.Environment}: {f}"))
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
            return Outcome.FromFindings(findings, $"{string.Join(", ", counts)}; plans and JSON in {context.Paths.Relative(context.Terraform.Output)}/");
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

    /// <summary>What terraform/bootstrap must keep true of every state bucket it makes.</summary>
    private static IEnumerable<string> BootstrapFindings(BuildContext context)
    {
        const string file = "terraform/bootstrap/main.tf";
        var path = context.Paths.Combine(file);
        if (!File.Exists(path))
        {
            yield return $"{file} does not exist: the state buckets are made there (versioned, SSE-KMS, private)";
            yield break;
        }

        var text = File.ReadAllText(path);
        (string Pattern, string What)[] rules =
        [
            (@"status\s*=\s*""Enabled""", "versioning Enabled (every state version kept)"),
            (@"sse_algorithm\s*=\s*""aws:kms""", "SSE-KMS (sse_algorithm = \"aws:kms\")"),
            (@"kms_master_key_id\s*=", "the environment's own KMS key"),
            (@"enable_key_rotation\s*=\s*true", "KMS key rotation"),
            (@"block_public_acls\s*=\s*true", "block_public_acls"),
            (@"block_public_policy\s*=\s*true", "block_public_policy"),
            (@"ignore_public_acls\s*=\s*true", "ignore_public_acls"),
            (@"restrict_public_buckets\s*=\s*true", "restrict_public_buckets"),
            (@"""aws:SecureTransport""\s*=\s*""false""", "a TLS-only bucket policy"),
        ];
        foreach (var (pattern, what) in rules.Where(r => !Regex.IsMatch(text, r.Pattern)))
        {
            yield return $"{file}: lacks {what}";
        }
    }

    /// <summary>The S3 backend with native locking and encryption; a partial configuration per environment.</summary>
    public static Outcome RemoteState(BuildContext context)
    {
        var findings = new List<string>();
        var keys = new HashSet<string>();
        var buckets = new HashSet<string>();
        foreach (var environment in TerraformSession.Environments)
        {
            var folder = $"terraform/environments/{environment}";
            var backend = context.Paths.Combine($"{folder}/backend.tf");
            var partial = context.Paths.Combine($"{folder}/{environment}.s3.tfbackend");
            if (!File.Exists(backend) || !File.Exists(partial))
            {
                return Outcome.NotImplemented($"{folder}/backend.tf or {environment}.s3.tfbackend does not exist");
            }

            var text = File.ReadAllText(backend);
            if (!Regex.IsMatch(text, @"backend\s+""s3""\s*\{"))
            {
                findings.Add($"{folder}/backend.tf: no backend \"s3\" block");
            }

            foreach (var setting in new[] { "use_lockfile", "encrypt" })
            {
                if (!Regex.IsMatch(text, $@"(?m)^\s*{setting}\s*=\s*true\s*$"))
                {
                    findings.Add($"{folder}/backend.tf: {setting} = true is missing");
                }
            }

            if (text.Contains("dynamodb_table", StringComparison.Ordinal))
            {
                findings.Add($"{folder}/backend.tf: dynamodb_table locking is deprecated; use_lockfile replaces it");
            }

            var settings = Assignments(File.ReadAllText(partial));
            foreach (var key in new[] { "bucket", "key", "region" }.Where(k => !settings.ContainsKey(k)))
            {
                findings.Add($"{folder}/{environment}.s3.tfbackend: {key} is missing");
            }

            if (settings.TryGetValue("key", out var stateKey) && !keys.Add(stateKey))
            {
                findings.Add($"{folder}/{environment}.s3.tfbackend: state key {stateKey} is shared with another environment");
            }

            // One bucket and one KMS key per environment: dev's credentials never reach prod's state.
            if (settings.TryGetValue("bucket", out var bucket) && !buckets.Add(bucket))
            {
                findings.Add($"{folder}/{environment}.s3.tfbackend: bucket {bucket} is shared with another environment: give each environment its own (terraform/bootstrap)");
            }

            if (!settings.ContainsKey("kms_key_id"))
            {
                findings.Add($"{folder}/{environment}.s3.tfbackend: no kms_key_id: the state is encrypted with the environment's own KMS key (terraform/bootstrap's kms_key_alias)");
            }
        }

        findings.AddRange(BootstrapFindings(context));
        return Outcome.FromFindings(findings, "S3 backend, use_lockfile and encrypt, a state key, a bucket and a KMS key per environment (init -backend-config=<env>.s3.tfbackend); terraform/bootstrap keeps each bucket versioned, SSE-KMS, private and TLS-only");
    }

    /// <summary>Every variable appears in the example with a comment; required ones are set.</summary>
    public static Outcome ExampleTfvars(BuildContext context) =>
        WithPlans(context, plans =>
        {
            var findings = new List<string>();
            foreach (var (environment, plan, _) in plans)
            {
                var example = $"terraform/environments/{environment}/terraform.tfvars.example";
                var lines = File.ReadAllLines(context.Paths.Combine(example));
                var root = plan!.Json.RootElement.GetProperty("configuration").GetProperty("root_module");
                foreach (var variable in root.GetProperty("variables").EnumerateObject())
                {
                    var set = Array.FindIndex(lines, l => Regex.IsMatch(l, $@"^{Regex.Escape(variable.Name)}\s*="));
                    var mentioned = set >= 0 ? set : Array.FindIndex(lines, l => Regex.IsMatch(l, $@"^#\s*{Regex.Escape(variable.Name)}\s*="));
                    if (mentioned < 0 && variable.Name is not ("pod_cidr" or "service_cidr" or "cluster_name" or "ssh_user"))
                    {
                        findings.Add($"{example}: {variable.Name} is not shown");
                    }
                    else if (set < 0 && !variable.Value.TryGetProperty("default", out _))
                    {
                        findings.Add($"{example}: {variable.Name} is required but not set");
                    }
                    else if (mentioned >= 0 && !Commented(lines, mentioned))
                    {
                        findings.Add($"{example}:{mentioned + 1}: {variable.Name} has no comment above it");
                    }
                }
            }

            return Outcome.FromFindings(findings, "each example sets every required variable, with a comment, and plans cleanly");
        });

    /// <summary>
    /// Each environment is its provider, backend, profile and one call of
    /// modules/platform that passes its variables through unchanged: nothing
    /// else in it can make dev and prod differ. Read from each offline plan's
    /// configuration, so it holds for what Terraform reads, not for the text.
    /// </summary>
    public static Outcome EnvironmentsAgree(BuildContext context) =>
        WithPlans(context, plans =>
        {
            var findings = plans.SelectMany(p => EnvironmentShape(p.Plan!).Select(f => $"terraform/environments/{p.Environment}: {f}")).ToList();
            return Outcome.FromFindings(findings, "dev and prod each hold their profile and one modules/platform call passing every variable through");
        });

    /// <summary>What, besides its profile, an environment does that another would not.</summary>
    public static IEnumerable<string> EnvironmentShape(PlanDocument plan)
    {
        var root = plan.Json.RootElement.GetProperty("configuration").GetProperty("root_module");
        foreach (var resource in root.TryGetProperty("resources", out var resources) ? resources.EnumerateArray() : [])
        {
            yield return $"declares {resource.GetProperty("address").GetString()}: resources belong in modules/platform";
        }

        var calls = root.TryGetProperty("module_calls", out var c) ? c.EnumerateObject().ToList() : [];
        if (calls.Count != 1 || calls[0].Name != "platform" || calls[0].Value.GetProperty("source").GetString() != "../../modules/platform")
        {
            yield return $"calls {string.Join(", ", calls.Select(m => $"{m.Name} ({m.Value.GetProperty("source").GetString()})"))}: an environment calls modules/platform once, as \"platform\"";
            yield break;
        }

        var expressions = calls[0].Value.TryGetProperty("expressions", out var e) ? e.EnumerateObject().ToList() : [];
        foreach (var (name, expression) in expressions.Select(x => (x.Name, x.Value)))
        {
            var references = expression.TryGetProperty("references", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToList() : [];
            var expected = name is "environment" or "profile" ? $"local.{name}" : $"var.{name}";
            if (references.Count != 1 || references[0] != expected)
            {
                yield return $"module.platform.{name} is not {expected}: pass the variable through, or put the difference in the profile";
            }
        }

        var passed = expressions.Select(x => x.Name).ToHashSet();
        foreach (var variable in root.TryGetProperty("variables", out var v) ? v.EnumerateObject().Select(x => x.Name) : [])
        {
            if (!passed.Contains(variable))
            {
                yield return $"variable {variable} is not passed to module.platform";
            }
        }
    }

    /// <summary>The user's own terraform.tfvars of --env, planned offline: its mistakes named by file, line and variable.</summary>
    public static Outcome UserTfvars(BuildContext context)
    {
        var environment = context.Options.EnvironmentName;
        var relative = $"terraform/environments/{environment}/terraform.tfvars";
        var path = context.Paths.Combine(relative);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return Outcome.NotImplemented($"terraform/environments/{environment} does not exist");
        }

        if (!File.Exists(path))
        {
            return Outcome.Skip($"{relative} does not exist (it is yours, not the repository's): copy terraform.tfvars.example to it and fill it in");
        }

        var plan = context.Terraform.PlanWith(environment, path);
        return plan.Succeeded
            ? Outcome.Pass($"{relative} plans offline without errors")
            : Outcome.Fail(string.Join("; ", plan.Errors));
    }

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

    /// <summary>Runs <paramref name="check"/> on the offline plan of one environment (or reports why there is none).</summary>
    public static Outcome WithPlan(BuildContext context, string environment, Func<PlanDocument, Outcome> check) =>
        WithPlans(context, plans => plans.Single(p => p.Environment == environment) is { Plan: { } plan } ? check(plan) : Outcome.Fail("no plan"));

    /// <summary>Runs <paramref name="check"/> on both offline plans, or reports the errors that stopped them.</summary>
    public static Outcome WithPlans(BuildContext context, Func<IReadOnlyList<OfflinePlan>, Outcome> check)
    {
        var absent = TerraformSession.Environments.Where(e => !File.Exists(context.Paths.Combine($"terraform/environments/{e}/main.tf"))).ToList();
        if (absent.Count > 0)
        {
            return Outcome.NotImplemented($"no offline plan without terraform/environments/{string.Join(" and ", absent)}/main.tf");
        }

        var plans = context.Terraform.PlanAll();
        var failed = plans.Where(p => !p.Succeeded).ToList();
        return failed.Count > 0
            ? Outcome.Fail(string.Join("; ", failed.SelectMany(p => p.Errors.Select(e => $"{p.Environment} plan: {e}"))))
            : check(plans);
    }

    /// <summary>A comment stands right above the line, or above the group of assignments it belongs to.</summary>
    private static bool Commented(string[] lines, int index)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            var line = lines[i].TrimStart();
            if (line.StartsWith('#'))
            {
                return true;
            }

            if (line.Length == 0 || !Regex.IsMatch(line, @"^\w+\s*="))
            {
                return false;
            }
        }

        return false;
    }

    private static HashSet<string> Names(JsonElement module, string kind) =>
        module.TryGetProperty(kind, out var items) ? [.. items.EnumerateObject().Select(p => p.Name)] : [];

    private static Dictionary<string, string> Assignments(string text) =>
        text.ReplaceLineEndings("\n").Split('\n')
            .Select(l => Regex.Match(l, @"^\s*(\w+)\s*=\s*""([^""]*)"""))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    private static Outcome? Missing(BuildContext context, string folder)
    {
        var directory = context.Paths.Combine(folder);
        return !Directory.Exists(directory) || !Directory.EnumerateFiles(directory, "*.tf", SearchOption.AllDirectories).Any()
            ? Outcome.NotImplemented($"{folder} has no .tf files")
            : null;
    }

    
}
