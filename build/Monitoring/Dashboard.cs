using System.Text.Json;

namespace Platform.Build.Monitoring;

/// <summary>
/// A Grafana dashboard JSON, read for what makes it portable and honest: a
/// stable uid (links and provisioning keep working), a data source variable
/// (no data source uid baked in), a query in every panel, and rate windows
/// that follow the scrape interval ($__rate_interval).
/// </summary>
public sealed class Dashboard
{
    private Dashboard(string file, string? uid, IReadOnlyList<string> findings, IReadOnlyList<(string Panel, string Expr)> queries)
    {
        File = file;
        Uid = uid;
        Findings = findings;
        Queries = queries;
    }

    public string File { get; }
    public string? Uid { get; }
    public IReadOnlyList<string> Findings { get; }

    /// <summary>Every panel's PromQL, with the panel's title.</summary>
    public IReadOnlyList<(string Panel, string Expr)> Queries { get; }

    public static Dashboard Load(string path, string displayPath) => Parse(System.IO.File.ReadAllText(path), displayPath);

    public static Dashboard Parse(string json, string file)
    {
        var findings = new List<string>();
        var queries = new List<(string, string)>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new Dashboard(file, null, [$"{file}: not JSON (line {e.LineNumber + 1}): {e.Message}"], []);
        }

        using (document)
        {
            var root = document.RootElement;
            var uid = root.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            if (string.IsNullOrEmpty(uid) || uid.Length > 40)
            {
                findings.Add($"{file}: uid must be set (at most 40 characters) so links and provisioning survive re-imports");
            }

            if (!root.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()))
            {
                findings.Add($"{file}: no title");
            }

            var variables = root.TryGetProperty("templating", out var t) && t.TryGetProperty("list", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().ToList() : [];
            var datasource = variables.FirstOrDefault(v => Str(v, "type") == "datasource" && Str(v, "query") == "prometheus");
            var variable = datasource.ValueKind == JsonValueKind.Object ? Str(datasource, "name") : null;
            if (variable is null)
            {
                findings.Add($"{file}: no data source variable (templating.list entry of type datasource, query prometheus)");
            }

            var panels = Panels(root).ToList();
            if (panels.Count == 0)
            {
                findings.Add($"{file}: no panels");
            }

            foreach (var panel in panels)
            {
                var name = Str(panel, "title") ?? $"panel {(panel.TryGetProperty("id", out var id) ? id.ToString() : "?")}";
                var targets = panel.TryGetProperty("targets", out var ts) && ts.ValueKind == JsonValueKind.Array ? ts.EnumerateArray().ToList() : [];
                var exprs = targets.Select(x => Str(x, "expr")).Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!).ToList();
                if (exprs.Count == 0)
                {
                    findings.Add($"{file}: panel '{name}' has no query");
                }

                var sources = targets.Select(x => x.TryGetProperty("datasource", out var d) ? d : default).Append(panel.TryGetProperty("datasource", out var pd) ? pd : default)
                    .Where(d => d.ValueKind == JsonValueKind.Object).Select(d => Str(d, "uid")).ToList();
                if (variable is not null && sources.Any(s => s != $"${{{variable}}}" && s != $"${variable}"))
                {
                    findings.Add($"{file}: panel '{name}' names a data source uid instead of ${{{variable}}}");
                }

                foreach (var expr in exprs)
                {
                    queries.Add((name, expr));
                    if (System.Text.RegularExpressions.Regex.IsMatch(expr, @"\b(rate|irate|increase)\([^\[]*\[(?!\$__rate_interval\])[^\]]+\]"))
                    {
                        findings.Add($"{file}: panel '{name}' uses a fixed rate window: write [$__rate_interval] so it follows the scrape interval");
                    }
                }
            }

            return new Dashboard(file, uid, findings, queries);
        }
    }

    /// <summary>Panels, including those inside rows.</summary>
    private static IEnumerable<JsonElement> Panels(JsonElement root)
    {
        if (!root.TryGetProperty("panels", out var panels) || panels.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var panel in panels.EnumerateArray())
        {
            if (Str(panel, "type") == "row")
            {
                foreach (var inner in Panels(panel))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return panel;
            }
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
