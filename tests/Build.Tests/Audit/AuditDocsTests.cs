using System.Text;
using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Audit;

/// <summary>audit/README.md lists every rule as the catalog holds it (id, severity, title, references).</summary>
public sealed class AuditDocsTests
{
    public static string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| id | severity | reads | rule | same check elsewhere |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var rule in AuditModel.Rules)
        {
            text.AppendLine($"| `{rule.Id}` | {rule.Severity} | {rule.Reads} | {rule.Title.Replace("|", "\\|", StringComparison.Ordinal)} | {string.Join(", ", rule.References)} |");
        }

        return text.ToString();
    }

    [Fact]
    public void The_README_lists_every_rule()
    {
        var readme = File.ReadAllText(Repo.Path("audit/README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("<!-- rules -->\n", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- /rules -->", StringComparison.Ordinal);

        Assert.True(start >= 0 && end > start, "audit/README.md has no <!-- rules --> ... <!-- /rules --> block");
        var expected = Table();
        var actual = readme[(start + "<!-- rules -->\n".Length)..end];
        if (actual != expected)
        {
            File.WriteAllText(Path.Combine(Path.GetTempPath(), "audit-rules.md"), expected);
        }

        Assert.Equal(expected, actual);
    }
}
