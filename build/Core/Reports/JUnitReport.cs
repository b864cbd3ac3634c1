using System.Globalization;
using System.Xml.Linq;
using Platform.Build.Core.Checks;

namespace Platform.Build.Core.Reports;

/// <summary>
/// JUnit XML for CI test views: a testsuite per task, a testcase per row.
/// Failed is a failure; Skipped and Manual are skipped, with the reason (and
/// a "Manual:" prefix), so a manual item is never counted as passed.
/// </summary>
public static class JUnitReport
{
    public static XDocument Build(RunSummary summary)
    {
        var suites = summary.ByTask.Select(group =>
        {
            var rows = group.ToList();
            var seed = rows[0].SeedId;
            return new XElement("testsuite",
                new XAttribute("name", seed is null ? group.Key : $"{seed} {group.Key}"),
                new XAttribute("tests", rows.Count),
                new XAttribute("failures", rows.Count(r => r.Status == CheckStatus.Failed)),
                new XAttribute("errors", 0),
                new XAttribute("skipped", rows.Count(r => r.Status is CheckStatus.Skipped or CheckStatus.Manual)),
                new XAttribute("time", Seconds(rows.Sum(r => r.Duration.TotalSeconds))),
                rows.Select(Case));
        });

        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XAttribute("name", $"platform {summary.Targets} ({summary.Environment})"),
                new XAttribute("tests", summary.Results.Count),
                new XAttribute("failures", summary.Failed),
                new XAttribute("errors", 0),
                new XAttribute("skipped", summary.Skipped + summary.Manual),
                new XAttribute("time", Seconds(summary.Results.Sum(r => r.Duration.TotalSeconds))),
                new XAttribute("timestamp", summary.Finished.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
                suites));
    }

    private static XElement Case(CheckResult row)
    {
        var element = new XElement("testcase",
            new XAttribute("classname", $"platform.{row.Task}"),
            new XAttribute("name", Clean(row.Item)),
            new XAttribute("time", Seconds(row.Duration.TotalSeconds)));
        switch (row.Status)
        {
            case CheckStatus.Failed:
                element.Add(new XElement("failure", new XAttribute("message", Clean(row.Detail)), Clean(row.Detail)));
                break;
            case CheckStatus.Skipped:
                element.Add(new XElement("skipped", new XAttribute("message", Clean(row.Detail))));
                break;
            case CheckStatus.Manual:
                element.Add(new XElement("skipped", new XAttribute("message", Clean($"Manual: {row.Detail}"))));
                break;
            default:
                element.Add(new XElement("system-out", Clean(row.Cache is { } cache ? $"{row.Detail}\n{cache}" : row.Detail)));
                break;
        }

        return element;
    }

    /// <summary>Drops characters XML 1.0 cannot carry (control codes from tool output).</summary>
    public static string Clean(string text) => new([.. text.Where(c => c is '\t' or '\n' or '\r' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF'))]);

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
