using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>The layout of terraform/: its folders, what git ignores, the version pins.</summary>
public static partial class TerraformChecks
{
    /// <summary>The folders of the plan: three modules (each with tests) and two environments.</summary>
    public static Outcome Layout(BuildContext context)
    {
        if (!Directory.Exists(context.Paths.Combine("terraform")))
        {
            return Outcome.NotImplemented("terraform/ does not exist");
        }

        var expected = context.LoadSpec().FoldersUnder("terraform/modules/").SelectMany(m => new[] { $"terraform/modules/{m}", $"terraform/modules/{m}/tests" })
            .Concat(TerraformSession.Environments.Select(e => $"terraform/environments/{e}"));
        var missing = expected.Where(d => !Directory.Exists(context.Paths.Combine(d))).ToList();
        return missing.Count == 0
            ? Outcome.Pass($"terraform/{{modules/{{{string.Join(",", context.LoadSpec().FoldersUnder("terraform/modules/"))}}}/tests,environments/{{dev,prod}}}}")
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
        var folders = context.LoadSpec().FoldersUnder("terraform/modules/").Select(m => $"terraform/modules/{m}").Concat(TerraformSession.Environments.Select(e => $"terraform/environments/{e}")).ToList();
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
}
