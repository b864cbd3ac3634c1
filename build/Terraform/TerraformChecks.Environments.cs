using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>The environments: remote state, example and user tfvars, and that they differ only in their profile.</summary>
public static partial class TerraformChecks
{
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
            var findings = plans.SelectMany(p => EnvironmentShape(p.Plan!)
                    .Concat(EnvironmentText(File.ReadAllText(context.Paths.Combine($"terraform/environments/{p.Environment}/main.tf"))))
                    .Select(f => $"terraform/environments/{p.Environment}: {f}"))
                .ToList();
            return Outcome.FromFindings(findings, "dev and prod each hold their profile, the standard provider and one modules/platform call passing every variable and output through unchanged");
        });

    /// <summary>
    /// What the plan cannot show: in main.tf, the provider is the standard one
    /// and every module argument is a bare pass-through, one per line (a
    /// merge() or concat() around var.X would name only var.X in the plan).
    /// </summary>
    public static IEnumerable<string> EnvironmentText(string mainTf)
    {
        var provider = ProviderBlock().Match(mainTf);
        if (!provider.Success || !StandardProvider().IsMatch(provider.Value))
        {
            yield return "main.tf: the provider is not the standard one (region = var.region, allowed_account_ids = [var.aws_account_id], default_tags from module.platform.tags)";
        }

        var module = ModuleBlock().Match(mainTf);
        foreach (var line in module.Success ? module.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0) : [])
        {
            var argument = Argument().Match(line);
            var name = argument.Success ? argument.Groups[1].Value : null;
            var passThrough = argument.Success && (argument.Groups[2].Value == $"var.{name}"
                || (name is "environment" or "profile" && argument.Groups[2].Value == $"local.{name}")
                || (name == "source" && argument.Groups[2].Value == "\"../../modules/platform\""));
            if (!passThrough)
            {
                yield return $"main.tf: module.platform has '{line}': pass each variable through as NAME = var.NAME, or put the difference in the profile";
            }
        }
    }

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

        foreach (var output in root.TryGetProperty("outputs", out var o) ? o.EnumerateObject() : [])
        {
            var references = output.Value.TryGetProperty("expression", out var x) && x.TryGetProperty("references", out var r) ? r.EnumerateArray().Select(v => v.GetString()).ToList() : [];
            if (references.Count == 0 || references[0] != $"module.platform.{output.Name}")
            {
                yield return $"output {output.Name} is not module.platform.{output.Name}: outputs are the module's, passed through";
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

        foreach (var variable in root.TryGetProperty("variables", out var declared) ? declared.EnumerateObject() : [])
        {
            if (variable.Value.TryGetProperty("default", out var value) && value.ValueKind != JsonValueKind.Null)
            {
                yield return $"variable {variable.Name} has a default of its own: defaults live in modules/platform (use default = null)";
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

        var plan = context.TerraformSession.PlanWith(environment, path);
        return plan.Succeeded
            ? Outcome.Pass($"{relative} plans offline without errors")
            : Outcome.Fail(string.Join("; ", plan.Errors));
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

    private static Dictionary<string, string> Assignments(string text) =>
        text.ReplaceLineEndings("\n").Split('\n')
            .Select(l => Regex.Match(l, @"^\s*(\w+)\s*=\s*""([^""]*)"""))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex(@"^provider ""aws"" \{\n(.*?)\n\}", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ProviderBlock();

    [GeneratedRegex(@"\A\s*provider ""aws"" \{\n\s*region\s*= var\.region\n\s*allowed_account_ids = \[var\.aws_account_id\]\n\s*default_tags \{ tags = module\.platform\.tags \}\n\}\z")]
    private static partial Regex StandardProvider();

    [GeneratedRegex(@"^module ""platform"" \{\n(.*?)\n\}", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ModuleBlock();

    [GeneratedRegex(@"^(\w+)\s*=\s*(\S+)$")]
    private static partial Regex Argument();
}
