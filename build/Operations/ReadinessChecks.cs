using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Terraform;
using YamlDotNet.RepresentationModel;

namespace Platform.Build.Operations;

/// <summary>
/// The production-readiness items that read the platform itself: the CI
/// pipeline tied to the build's targets, the backups as planned and
/// configured, and the monitoring baselines.
/// </summary>
public static class ReadinessChecks
{
    public const string Workflows = ".github/workflows";

    /// <summary>The stages a pipeline must run, by target.</summary>
    public static readonly IReadOnlyList<string> Stages = ["Lint", "Validate", "ApplyInfrastructure", "DeployApp"];

    /// <summary>"Set up CI/CD pipelines": every stage a build target, every command valid, prod only from a job in the prod environment.</summary>
    public static Outcome CiPipelines(BuildContext context)
    {
        var folder = context.Paths.Combine(Workflows);
        var files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.yml").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            return Outcome.Fail($"no workflow in {Workflows}: the pipeline runs the build's targets");
        }

        var findings = new List<string>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = context.Paths.Relative(file);
            var text = File.ReadAllText(file);
            findings.AddRange(BuildCommands.Problems(BuildCommands.CatalogOf(context), BuildCommands.In(relative, text)));
            foreach (var (job, environment, run) in Runs(text))
            {
                foreach (var command in BuildCommands.In(relative, run))
                {
                    targets.UnionWith(command.Text.Split(' ').Where(t => t.StartsWith("--target=", StringComparison.Ordinal)).Select(t => t["--target=".Length..]));
                    if (command.Text.Contains("--env=prod", StringComparison.Ordinal) && environment != "prod")
                    {
                        findings.Add($"{relative}: job {job} runs `{command.Text}` outside the protected environment prod (environment: {environment ?? "none"})");
                    }
                }
            }
        }

        findings.AddRange(Stages.Where(s => !targets.Contains(s)).Select(s => $"no pipeline stage runs --target={s}"));
        return Outcome.FromFindings(findings, $"{string.Join(", ", files.Select(context.Paths.Relative))}: stages {string.Join(", ", Stages)} are build targets; prod runs only in the prod environment");
    }

    /// <summary>
    /// "Configure backup procedures": each plan has the etcd backup bucket (versioned,
    /// SSE-KMS with a rotated key, public access blocked, snapshots kept 7 days or more,
    /// no plain-HTTP access), the state buckets are versioned, and the control planes
    /// get the backup role with the bucket from the Terraform outputs.
    /// </summary>
    public static Outcome BackupsConfigured(BuildContext context) =>
        Outcome.All(TerraformChecks.Validate(context, "modules/backup"), TerraformChecks.Test(context, "backup"), BackupsPlanned(context));

    private static Outcome BackupsPlanned(BuildContext context) =>
        TerraformChecks.WithPlans(context, plans =>
        {
            var findings = new List<string>();
            foreach (var plan in plans)
            {
                findings.AddRange(BackupPlanned(plan.Plan!).Select(f => $"{plan.Environment}: {f}"));
            }

            findings.AddRange(BackupSources(context));

            return Outcome.FromFindings(findings, "etcd snapshots every 15 minutes to a versioned SSE-KMS bucket per environment (lifecycle-limited, TLS only, public access blocked); state buckets versioned; restore in RUNBOOK.md");
        });

    /// <summary>What the sources lack for the backups, beyond the plans: the bucket's TLS rule, versioned state, the role on the control planes, the bucket in both inventories.</summary>
    public static IReadOnlyList<string> BackupSources(BuildContext context)
    {
        var findings = new List<string>();

        // The policy's JSON names the bucket's ARN, unknown until apply: its TLS rule is read from the module.
        var module = context.Paths.Combine("terraform/modules/backup/main.tf");
        if (!File.Exists(module) || !System.Text.RegularExpressions.Regex.IsMatch(Uncommented(File.ReadAllText(module), "#"), @"""aws:SecureTransport""\s*=\s*""false"""))
        {
            findings.Add("terraform/modules/backup/main.tf: the bucket policy does not deny requests without TLS (aws:SecureTransport = \"false\")");
        }

        var bootstrap = context.Paths.Combine("terraform/bootstrap/main.tf");
        if (!File.Exists(bootstrap) || !Uncommented(File.ReadAllText(bootstrap), "#").Contains("status = \"Enabled\"", StringComparison.Ordinal))
        {
            findings.Add("terraform/bootstrap/main.tf: the state buckets are not versioned (aws_s3_bucket_versioning status = \"Enabled\")");
        }

        var setup = context.Paths.Combine("ansible/playbooks/k8s-setup.yml");
        if (!File.Exists(setup) || !AppliesRole(File.ReadAllText(setup), "control_plane", "etcd-backup"))
        {
            findings.Add("ansible/playbooks/k8s-setup.yml does not apply the etcd-backup role to the control planes (a play of hosts: control_plane with role: etcd-backup)");
        }

        foreach (var env in TerraformSession.Environments)
        {
            var inventory = context.Paths.Combine($"ansible/inventory/{env}/terraform-inventory.py");
            if (!File.Exists(inventory) || !Uncommented(File.ReadAllText(inventory), "#").Contains("\"etcd_backup_bucket\"", StringComparison.Ordinal))
            {
                findings.Add($"ansible/inventory/{env}/terraform-inventory.py does not pass etcd_backup_bucket to the control planes");
            }
        }

        return findings;
    }

    /// <summary>What a plan lacks for the etcd backups (empty: all there).</summary>
    public static IEnumerable<string> BackupPlanned(PlanDocument plan)
    {
        static bool InBackup(PlannedResource r) => r.Address.Contains("module.backup.", StringComparison.Ordinal);
        var bucket = plan.OfType("aws_s3_bucket").Where(InBackup).ToList();
        if (bucket.Count != 1)
        {
            yield return $"{bucket.Count} etcd backup buckets planned (module.backup), not 1";
            yield break;
        }

        if (!plan.OfType("aws_s3_bucket_versioning").Where(InBackup).Any(v => v.Blocks("versioning_configuration").Any(b => b.TryGetProperty("status", out var s) && s.GetString() == "Enabled")))
        {
            yield return "the backup bucket is not versioned";
        }

        var encryption = plan.OfType("aws_s3_bucket_server_side_encryption_configuration").Where(InBackup).SelectMany(e => e.Blocks("rule"))
            .SelectMany(r => r.TryGetProperty("apply_server_side_encryption_by_default", out var d) ? d.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Any(d => d.TryGetProperty("sse_algorithm", out var a) && a.GetString() == "aws:kms");
        if (!encryption)
        {
            yield return "the backup bucket is not encrypted with SSE-KMS";
        }

        if (!plan.OfType("aws_kms_key").Where(InBackup).Any(k => k.Property("enable_key_rotation")?.GetBoolean() == true))
        {
            yield return "the backup key is not rotated (enable_key_rotation)";
        }

        var block = plan.OfType("aws_s3_bucket_public_access_block").Where(InBackup).FirstOrDefault();
        if (block is null || new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }.Any(k => block.Property(k)?.GetBoolean() != true))
        {
            yield return "the backup bucket's public access is not blocked on all four settings";
        }

        var expirations = plan.OfType("aws_s3_bucket_lifecycle_configuration").Where(InBackup).SelectMany(l => l.Blocks("rule"))
            .SelectMany(r => r.TryGetProperty("expiration", out var e) ? e.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Select(e => e.TryGetProperty("days", out var d) && d.ValueKind == System.Text.Json.JsonValueKind.Number ? d.GetInt32() : 0)
            .ToList();
        if (expirations.Count == 0 || expirations.Any(d => d < 7))
        {
            yield return $"the backup bucket's lifecycle must expire snapshots after 7 days or more (found {(expirations.Count == 0 ? "no expiration" : string.Join(", ", expirations) + " days")})";
        }

        if (!plan.OfType("aws_s3_bucket_policy").Where(InBackup).Any())
        {
            yield return "the backup bucket has no bucket policy (TLS only, this key only)";
        }
    }

    /// <summary>Whether a play of the playbook runs on exactly these hosts and applies the role.</summary>
    private static bool AppliesRole(string playbook, string hosts, string role)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(playbook));
        return stream.Documents.FirstOrDefault()?.RootNode is YamlSequenceNode plays && plays.Children.OfType<YamlMappingNode>().Any(play =>
            YamlPath.Scalar(play, "hosts") == hosts
            && YamlPath.At(play, "roles") is YamlSequenceNode roles
            && roles.Children.Any(r => r is YamlScalarNode name ? name.Value == role : r is YamlMappingNode m && YamlPath.Scalar(m, "role") == role));
    }

    /// <summary>The text without its whole-line comments (a commented-out rule is no rule).</summary>
    private static string Uncommented(string text, string marker) =>
        string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith(marker, StringComparison.Ordinal)));

    /// <summary>Each job's name, environment and run scripts.</summary>
    private static IEnumerable<(string Job, string? Environment, string Run)> Runs(string workflow)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(workflow));
        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root || YamlPath.At(root, "jobs") is not YamlMappingNode jobs)
        {
            yield break;
        }

        foreach (var (key, value) in jobs.Children)
        {
            if (value is not YamlMappingNode job)
            {
                continue;
            }

            var environment = YamlPath.At(job, "environment") switch
            {
                YamlScalarNode s => s.Value,
                YamlMappingNode m => YamlPath.Scalar(m, "name"),
                _ => null,
            };
            var runs = YamlPath.At(job, "steps") is YamlSequenceNode steps
                ? steps.Children.OfType<YamlMappingNode>().Select(s => YamlPath.Scalar(s, "run")).OfType<string>()
                : [];
            yield return (((YamlScalarNode)key).Value ?? "?", environment, string.Join('\n', runs));
        }
    }
}
