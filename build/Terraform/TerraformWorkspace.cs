using System.Security.Cryptography;
using System.Text;
using Platform.Build.Core.Context;
using Platform.Build.Tools;

namespace Platform.Build.Terraform;

/// <summary>
/// A copy of terraform/ under artifacts/terraform/workspace where the offline
/// checks init, validate, test and plan. Working in a copy keeps the source
/// tree clean (no .terraform folders or lock files from a check) and lets the
/// build add an offline provider override without touching the sources.
/// </summary>
public sealed class TerraformWorkspace(BuildContext context)
{
    /// <summary>
    /// Written into each environment of the copy for offline plans only: a local
    /// backend instead of S3, and fake credentials with every AWS call that
    /// planning would make switched off. The names say what they are.
    /// </summary>
    public const string OfflineOverride = """
        # Written by the build for offline plans in artifacts/; never in the source tree.
        terraform {
          backend "local" {}
        }

        provider "aws" {
          access_key                  = "offline-plan-not-a-credential"
          secret_key                  = "offline-plan-not-a-credential"
          allowed_account_ids         = null
          skip_credentials_validation = true
          skip_requesting_account_id  = true
          skip_metadata_api_check     = true
          skip_region_validation      = true
          max_retries                 = 1
        }
        """;

    public const string OverrideFile = "zz_offline_override.tf";

    private static readonly string[] SkippedFolders = [".terraform", "outputs"];
    private readonly Dictionary<string, ToolResult> _inits = [];
    private bool _synced;

    public string Root => System.IO.Path.Combine(context.Paths.Artifacts, "terraform", "workspace");

    /// <summary>The copy of <paramref name="relative"/> (e.g. "modules/vpc"), synced with the sources first.</summary>
    public string Directory(string relative)
    {
        Sync();
        return System.IO.Path.Combine(Root, relative);
    }

    /// <summary>A path in the copy as the user knows it: terraform/... in the repository.</summary>
    public string ToSource(string path) =>
        path.StartsWith(Root, StringComparison.Ordinal)
            ? "terraform" + path[Root.Length..].Replace('\\', '/')
            : context.Paths.Relative(path);

    /// <summary>
    /// terraform init of a folder of the copy, once per run; skipped when the
    /// folder's configuration is unchanged since the last successful init.
    /// </summary>
    public ToolResult Init(string relative)
    {
        if (_inits.TryGetValue(relative, out var done))
        {
            return done;
        }

        var directory = Directory(relative);
        var stamp = System.IO.Path.Combine(directory, ".terraform", "platform-init.stamp");
        var hash = InitHash(directory);
        if (File.Exists(stamp) && File.ReadAllText(stamp) == hash)
        {
            return _inits[relative] = new ToolResult(0, ["(initialised earlier; configuration unchanged)"], [], "terraform init");
        }

        var result = context.TerraformInit(new TerraformInitSettings
        {
            WorkingDirectory = directory,
            PluginDir = context.Options.TerraformPluginDir,
        });
        if (result.Succeeded)
        {
            File.WriteAllText(stamp, hash);
        }

        return _inits[relative] = result;
    }

    /// <summary>A hash of a folder of the copy (its files, not Terraform's own state): did it change since a run.</summary>
    public string FolderHash(string relative)
    {
        var folder = Directory(relative);
        var text = new StringBuilder();
        foreach (var file in AllFiles(folder).Order(StringComparer.Ordinal))
        {
            text.Append(file).Append('\n').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(System.IO.Path.Combine(folder, file))))).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private void Sync()
    {
        if (_synced)
        {
            return;
        }

        var source = context.Paths.Combine("terraform");
        var wanted = Files(source).ToHashSet(StringComparer.Ordinal);
        System.IO.Directory.CreateDirectory(Root);
        foreach (var stale in AllFiles(Root).Where(f => !wanted.Contains(f) && !IsGenerated(f)))
        {
            File.Delete(System.IO.Path.Combine(Root, stale));
        }

        foreach (var file in wanted)
        {
            var from = System.IO.Path.Combine(source, file);
            var to = System.IO.Path.Combine(Root, file);
            if (!File.Exists(to) || !File.ReadAllBytes(to).AsSpan().SequenceEqual(File.ReadAllBytes(from)))
            {
                System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
                File.Copy(from, to, overwrite: true);
            }
        }

        var environments = System.IO.Path.Combine(Root, "environments");
        if (System.IO.Directory.Exists(environments))
        {
            foreach (var environment in System.IO.Directory.EnumerateDirectories(environments))
            {
                File.WriteAllText(System.IO.Path.Combine(environment, OverrideFile), OfflineOverride + "\n");
            }
        }

        _synced = true;
    }

    /// <summary>
    /// Source files to copy: not Terraform's own state, and nothing Terraform
    /// would load by itself that is a user's local file rather than the
    /// repository's (real tfvars, auto.tfvars, override files): the checks see
    /// what is committed.
    /// </summary>
    private static IEnumerable<string> Files(string root) => AllFiles(root).Where(f => !IsLocalOnly(System.IO.Path.GetFileName(f)));

    private static IEnumerable<string> AllFiles(string root) =>
        !System.IO.Directory.Exists(root)
            ? []
            : System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => System.IO.Path.GetRelativePath(root, f))
                .Where(f => !f.Split(System.IO.Path.DirectorySeparatorChar).Any(part => SkippedFolders.Contains(part)));

    private static bool IsLocalOnly(string name) =>
        name.EndsWith(".tfstate", StringComparison.Ordinal) || name.Contains(".tfstate.", StringComparison.Ordinal)
        || name is "terraform.tfvars" or "terraform.tfvars.json"
        || name.EndsWith(".auto.tfvars", StringComparison.Ordinal) || name.EndsWith(".auto.tfvars.json", StringComparison.Ordinal)
        || name.EndsWith("_override.tf", StringComparison.Ordinal) || name.EndsWith("_override.tf.json", StringComparison.Ordinal)
        || name is "override.tf" or "override.tf.json";

    /// <summary>What the build itself writes in the copy (kept when syncing).</summary>
    private static bool IsGenerated(string relative)
    {
        var name = System.IO.Path.GetFileName(relative);
        return name is OverrideFile or ".terraform.lock.hcl" || name.EndsWith(".tfstate", StringComparison.Ordinal) || name.Contains(".tfstate.", StringComparison.Ordinal)
            || name.EndsWith(".tfplan", StringComparison.Ordinal);
    }

    /// <summary>What init depends on: the folder's .tf files and the CLI configuration in use.</summary>
    private string InitHash(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.tf").Append(System.IO.Path.Combine(directory, ".terraform.lock.hcl")).Where(File.Exists).Order(StringComparer.Ordinal))
        {
            text.Append(System.IO.Path.GetFileName(file)).Append('\n').Append(File.ReadAllText(file));
        }

        text.Append(context.Options.TerraformPluginDir).Append(context.Environment.GetEnvironmentVariable("TF_CLI_CONFIG_FILE"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
