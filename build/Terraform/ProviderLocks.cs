using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>
/// The environments' committed .terraform.lock.hcl: the exact AWS provider
/// version, within versions.tf's constraint, with its linux_amd64 hash - so
/// every init, here and in CI, gets the same bytes or fails. When a local
/// provider mirror is at hand, the hash is compared with the mirror's package.
/// </summary>
public static partial class ProviderLocks
{
    public const string Provider = "registry.terraform.io/hashicorp/aws";

    public static Outcome Check(BuildContext context)
    {
        var findings = new List<string>();
        var mirror = Mirror(context);
        var compared = 0;
        foreach (var env in PlatformEnvironments.All)
        {
            var relative = $"terraform/environments/{env}/.terraform.lock.hcl";
            var path = context.Paths.Combine(relative);
            if (!File.Exists(path))
            {
                findings.Add($"{relative} is not committed: run terraform init in terraform/environments/{env} (or terraform providers lock -platform=linux_amd64) and commit it");
                continue;
            }

            var text = File.ReadAllText(path);
            var block = ProviderBlock().Match(text);
            if (!block.Success || block.Groups["source"].Value != Provider)
            {
                findings.Add($"{relative}: no lock for {Provider}");
                continue;
            }

            var body = block.Groups["body"].Value;
            var version = Version().Match(body).Groups["v"].Value;
            if (!System.Version.TryParse(version, out var parsed) || parsed.Major != 5 || parsed < new System.Version(5, 70))
            {
                findings.Add($"{relative}: {Provider} is locked at '{version}', outside versions.tf's >= 5.70, < 6.0");
            }

            var hashes = H1().Matches(body).Select(m => m.Value).ToList();
            if (hashes.Count == 0)
            {
                findings.Add($"{relative}: no h1: hash for {Provider}: terraform would trust whatever package it finds");
                continue;
            }

            var package = mirror is null ? null : Path.Combine(mirror, "registry.terraform.io", "hashicorp", "aws", version, "linux_amd64");
            if (package is not null && Directory.Exists(package))
            {
                compared++;
                var expected = DirHash(package);
                if (!hashes.Contains(expected))
                {
                    findings.Add($"{relative}: none of its h1: hashes is the linux_amd64 package's ({expected} in {package}): lock it again with -platform=linux_amd64");
                }
            }
        }

        return Outcome.FromFindings(findings,
            $"both environments lock {Provider} with an h1: hash{(compared > 0 ? $"; the linux_amd64 hash matches the local mirror's package ({compared} compared)" : " (not compared with a package: no local provider mirror)")}");
    }

    /// <summary>Terraform's "h1:" hash of an unpacked provider folder (golang.org/x/mod dirhash Hash1).</summary>
    public static string DirHash(string folder)
    {
        var summary = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(Path.Combine(folder, file));
            summary.Append(Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant()).Append("  ").Append(file).Append('\n');
        }

        return "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(summary.ToString())));
    }

    /// <summary>The local mirror: --terraform-plugin-dir, else the filesystem_mirror of TF_CLI_CONFIG_FILE.</summary>
    private static string? Mirror(BuildContext context)
    {
        if (context.Options.TerraformPluginDir is { } dir)
        {
            return dir;
        }

        var config = context.Environment.GetEnvironmentVariable("TF_CLI_CONFIG_FILE");
        if (config is null || !File.Exists(config))
        {
            return null;
        }

        var match = MirrorPath().Match(File.ReadAllText(config));
        return match.Success ? match.Groups["path"].Value : null;
    }

    [GeneratedRegex("provider\\s+\"(?<source>[^\"]+)\"\\s*\\{(?<body>.*?)\\n\\}", RegexOptions.Singleline)]
    private static partial Regex ProviderBlock();

    [GeneratedRegex("version\\s*=\\s*\"(?<v>[^\"]+)\"")]
    private static partial Regex Version();

    [GeneratedRegex("h1:[A-Za-z0-9+/=]+")]
    private static partial Regex H1();

    [GeneratedRegex("filesystem_mirror\\s*\\{[^}]*path\\s*=\\s*\"(?<path>[^\"]+)\"", RegexOptions.Singleline)]
    private static partial Regex MirrorPath();
}
