using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Tenancy;
using Platform.Build.Terraform;
using Platform.Build.Tools;

namespace Platform.Build.Operations;

/// <summary>The README's architecture section: present, current, and written by the ArchitectureDocs target.</summary>
public static class ArchitectureChecks
{
    public const string Readme = "README.md";

    /// <summary>The diagrams every architecture section has, by heading.</summary>
    public static readonly IReadOnlyList<string> Diagrams = ["AWS network", "The cluster", "GitOps", "Tenancy"];

    /// <summary>"Update main README with architecture": an Architecture section with the four diagrams, linking the runbook and the guides.</summary>
    public static Outcome InReadme(BuildContext context)
    {
        var text = File.ReadAllText(context.Paths.Combine(Readme));
        var findings = new List<string>();
        if (!text.Contains("\n## Architecture", StringComparison.Ordinal))
        {
            findings.Add($"{Readme} has no '## Architecture' section");
        }

        if (ArchitectureDocs.Current(text) is not { } section)
        {
            findings.Add($"{Readme} has no generated architecture block ({ArchitectureDocs.Begin} ... {ArchitectureDocs.End}): run ./build.sh --target=ArchitectureDocs");
        }
        else
        {
            findings.AddRange(Diagrams.Where(d => !section.Contains($"### {d}", StringComparison.Ordinal)).Select(d => $"{Readme}: the architecture block has no '{d}' diagram"));
            var mermaid = section.Split("```mermaid").Length - 1;
            if (mermaid < Diagrams.Count)
            {
                findings.Add($"{Readme}: {mermaid} Mermaid diagrams in the architecture block, expected {Diagrams.Count}");
            }
        }

        findings.AddRange(new[] { DocsChecks.Runbook, DocsChecks.Troubleshooting, DocsChecks.Access }
            .Where(d => !text.Contains($"]({d})", StringComparison.Ordinal)).Select(d => $"{Readme} does not link {d}"));
        return Outcome.FromFindings(findings, $"{Readme}: Architecture with {string.Join(", ", Diagrams)}; links the runbook, troubleshooting and access guides");
    }

    /// <summary>"Create architecture diagrams": the README's diagrams are what the plans, Applications and catalog give today.</summary>
    public static Outcome Current(BuildContext context) =>
        WithSection(context, (readme, section) =>
            ArchitectureDocs.Current(readme) == section
                ? Outcome.Pass($"{Readme}'s diagrams and tables match the dev and prod plans, {ArchitectureDocs.Applications(context).Count} Applications and the tenant catalog")
                : Outcome.Fail($"{Readme}'s architecture block differs from what the plans and the catalog give: run ./build.sh --target=ArchitectureDocs and commit README.md"));

    /// <summary>The ArchitectureDocs target: writes the block.</summary>
    public static Outcome Write(BuildContext context) =>
        WithSection(context, (readme, section) =>
        {
            if (ArchitectureDocs.Embed(readme, section) is not { } updated)
            {
                return Outcome.Fail($"{Readme} has no {ArchitectureDocs.Begin} ... {ArchitectureDocs.End} markers: add them under '## Architecture'");
            }

            if (updated != readme)
            {
                SafeFile.Replace(context.Paths.Combine(Readme), updated);
            }

            return Outcome.Pass(updated == readme ? $"{Readme}'s architecture block was current" : $"{Readme}'s architecture block written");
        });

    private static Outcome WithSection(BuildContext context, Func<string, string, Outcome> use) =>
        TerraformChecks.WithPlans(context, plans =>
        {
            var catalog = TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
            var section = ArchitectureDocs.Render(plans, ArchitectureDocs.Applications(context), catalog);
            return use(File.ReadAllText(context.Paths.Combine(Readme)), section);
        });
}
