using System.Text.RegularExpressions;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;

namespace Platform.Build.Terraform;

/// <summary>
/// The CI workflow that carries Task 1.6's plan from review to apply: every
/// action pinned by commit (a tag can be moved to other code), the plan sealed
/// by the build on both sides, and moved encrypted with integrity protection.
/// </summary>
public static partial class PipelineChecks
{
    public const string Workflows = ".github/workflows";

    public static Outcome PinnedAndSealed(BuildContext context)
    {
        var folder = context.Paths.Combine(Workflows);
        if (!Directory.Exists(folder))
        {
            return Outcome.NotImplemented($"{Workflows} does not exist");
        }

        var findings = new List<string>();
        var uses = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.y*ml").Order(StringComparer.Ordinal))
        {
            var relative = context.Paths.Relative(file);
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var use = Uses().Match(lines[i]);
                if (!use.Success || use.Groups["ref"].Value.StartsWith("./", StringComparison.Ordinal))
                {
                    continue;
                }

                uses++;
                if (!CommitPin().IsMatch(use.Groups["ref"].Value))
                {
                    findings.Add($"{relative}:{i + 1}: {use.Groups["ref"].Value} is not pinned to a commit: use owner/repo@<40-hex commit> # vX.Y.Z");
                }
            }

            var text = string.Join('\n', lines);
            if (text.Contains("--apply-plan", StringComparison.Ordinal) || text.Contains("ApplyInfrastructure", StringComparison.Ordinal))
            {
                if (Regex.IsMatch(text, @"openssl\s+enc\b[^\n]*-(aes|des|bf|camellia)[\w-]*-(cbc|ctr|ofb|cfb)"))
                {
                    findings.Add($"{relative}: moves the plan with unauthenticated encryption (openssl enc ... cbc): use gpg --symmetric (integrity-protected) or another AEAD");
                }

                if (Regex.Matches(text, Regex.Escape(PlanSeal.KeyVariable)).Count < 2)
                {
                    findings.Add($"{relative}: {PlanSeal.KeyVariable} must be given to both the planning and the applying step (the seal is checked with the key it was made with)");
                }
            }
        }

        return Outcome.FromFindings(findings, $"{uses} action references pinned to commits; the plan sealed by the build on both sides and moved integrity-protected");
    }

    [GeneratedRegex(@"^\s*(-\s*)?uses:\s*(?<ref>[^\s#]+)")]
    private static partial Regex Uses();

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")]
    private static partial Regex CommitPin();
}
