using System.Text.RegularExpressions;
using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>
/// build/'s layout holds (issue 12): dependencies point one way, from Tasks
/// to the domains to Core and Tools; only Tools start processes or reach the
/// outside; tasks call their domain in one style; files stay small. Read from
/// the sources (using lines and qualified names), so a cycle cannot creep
/// back in through a fully qualified reference either.
/// </summary>
public sealed partial class LayoutTests
{
    /// <summary>Each top folder's rank: a folder may use folders of a lower rank only (and its own).</summary>
    public static readonly IReadOnlyDictionary<string, int> Rank = new Dictionary<string, int>
    {
        ["Tools"] = 0,
        ["Core"] = 1,
        ["Terraform"] = 2,
        ["Ansible"] = 2,
        ["Kubernetes"] = 2,
        ["Tenancy"] = 3,
        ["ArgoCd"] = 4,
        ["Apps"] = 5,
        ["Monitoring"] = 6,
        ["Audit"] = 7,
        ["Operations"] = 8,
        ["Tasks"] = 9,
    };

    /// <summary>Rule sets and renderers, which stay whole (build/README.md names them).</summary>
    public static readonly IReadOnlySet<string> LongFiles = new HashSet<string>
    {
        "Terraform/PlanPolicy.cs", "Kubernetes/Workloads/WorkloadPolicy.cs", "Tenancy/TenantRenderer.cs",
    };

    private static readonly string Build = Repo.Path("build");

    private static IEnumerable<(string Relative, string Text)> Sources(string? under = null) =>
        Directory.EnumerateFiles(under is null ? Build : Path.Combine(Build, under), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Build, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(Build, f))));

    private static string TopFolder(string relative) => relative.Contains('/') ? relative[..relative.IndexOf('/')] : string.Empty;

    /// <summary>
    /// The code of a file without comments and string literals (what a
    /// reference can hide in). Strings go first, so a "//" inside one is not a
    /// comment; the holes of an interpolated string are code and stay.
    /// </summary>
    public static string Code(string text) =>
        BlockComment().Replace(LineComment().Replace(StringLiteral().Replace(text, m => Holes(m.Value)), string.Empty), string.Empty);

    private static string Holes(string literal) =>
        literal.StartsWith('$') || literal.StartsWith("@$", StringComparison.Ordinal)
            ? "\"" + string.Join(' ', InterpolationHole().Matches(literal).Select(h => h.Groups[1].Value)) + "\""
            : "\"\"";

    /// <summary>The names each top folder declares: its types and its sub-namespaces (what <c>X.Name</c> can reach).</summary>
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Declared = new(() => Sources()
        .GroupBy(s => TopFolder(s.Relative))
        .ToDictionary(g => g.Key, g => g.SelectMany(s => TypeDeclaration().Matches(Code(s.Text)).Select(m => m.Groups[1].Value)
            .Concat(s.Relative.Split('/').Skip(1).SkipLast(1))).ToHashSet()));

    /// <summary>
    /// The top folders a file uses: its <c>using Platform.Build.X</c> lines and
    /// qualified <c>X.Name</c> references where Name is something X declares
    /// (so a property called Tasks is not the Tasks folder).
    /// </summary>
    public static IEnumerable<string> Uses(string text)
    {
        var code = Code(text);
        var usings = UsingLine().Matches(code).Select(m => m.Groups[1].Value);
        var qualified = QualifiedName().Matches(code)
            .Where(m => Declared.Value.TryGetValue(m.Groups[1].Value, out var names) && names.Contains(m.Groups[2].Value))
            .Select(m => m.Groups[1].Value);
        return usings.Concat(qualified).Where(Rank.ContainsKey).Distinct();
    }

    public static IEnumerable<string> Violations(IEnumerable<(string Relative, string Text)> sources) =>
        from source in sources
        let folder = TopFolder(source.Relative)
        where Rank.ContainsKey(folder)
        from used in Uses(source.Text)
        where used != folder && Rank[used] >= Rank[folder]
        select $"build/{source.Relative} ({folder}, rank {Rank[folder]}) uses {used} (rank {Rank[used]})";

    [Fact]
    public void Every_folder_uses_only_folders_below_it() => Assert.Empty(Violations(Sources()));

    [Fact]
    public void The_direction_test_finds_a_cycle_through_a_using_or_a_qualified_name()
    {
        // Core reaching up into a domain, the way BuildContext once held TerraformSession.
        Assert.Single(Violations([("Core/Context/BuildContext.cs", "using Platform.Build.Terraform;\nnamespace Platform.Build.Core.Context;")]));
        Assert.Single(Violations([("Kubernetes/Manifests/X.cs", "namespace Platform.Build.Kubernetes.Manifests;\nclass X { Tenancy.TenantCatalog? c; }")]));
        Assert.Empty(Violations([("Core/Spec/X.cs", "namespace Platform.Build.Core.Spec;\nclass X { object F() => Tasks.FirstOrDefault(); }")]));
        Assert.Empty(Violations([("Tenancy/X.cs", "namespace Platform.Build.Tenancy;\n// Apps.Thing in a comment\nclass X { string s = \"Apps.Thing\"; }")]));
        Assert.Single(Violations([("Kubernetes/X.cs", "global using Platform.Build.Tenancy;")]));
        Assert.Single(Violations([("Kubernetes/X.cs", "using T = Platform.Build.Tenancy.TenantCatalog;")]));
        Assert.Single(Violations([("Kubernetes/X.cs", "class X { string u = \"https://x\"; object c = Tenancy.TenantCatalog.Load(null, null); }")]));
        Assert.Single(Violations([("Kubernetes/X.cs", "class X { string s = $\"{Tenancy.TenantCatalog.RelativePath}\"; }")]));
    }

    [Fact]
    public void Tools_use_nothing_of_the_build_and_Core_no_domain()
    {
        Assert.Empty(Sources("Tools").Where(s => UsingLine().IsMatch(Code(s.Text)) && Uses(s.Text).Any()).Select(s => s.Relative));
        Assert.Empty(Sources("Core").SelectMany(s => Uses(s.Text).Where(u => u is not "Core" and not "Tools").Select(u => $"{s.Relative} uses {u}")));
    }

    [Fact]
    public void Frosting_uses_nothing_of_the_platform_and_the_project_adds_no_global_usings()
    {
        Assert.Empty(Sources("Frosting").SelectMany(s => Uses(s.Text).Select(u => $"{s.Relative} uses {u}")));
        Assert.DoesNotContain("<Using", File.ReadAllText(Path.Combine(Build, "Build.csproj")), StringComparison.Ordinal);
    }

    public static IEnumerable<string> WaysOut(IEnumerable<(string Relative, string Text)> sources) =>
        sources.Where(s => TopFolder(s.Relative) is not "Tools" and not "Frosting")
            .SelectMany(s => OutsideWorld().Matches(Code(s.Text)).Select(m => $"build/{s.Relative}: {m.Value}"));

    [Fact]
    public void Only_Tools_start_processes_or_reach_the_outside() => Assert.Empty(WaysOut(Sources()));

    [Theory]
    [InlineData("Process.Start(\"git\", \"log\")")]
    [InlineData("var p = new Process { StartInfo = info }; p.Start();")]
    [InlineData("var info = new ProcessStartInfo(\"tar\");")]
    [InlineData("context.StartProcess(\"rm\");")]
    [InlineData("context.ProcessRunner.Start(path, settings);")]
    [InlineData("using var tcp = new TcpClient();")]
    [InlineData("using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);")]
    [InlineData("using var http = new HttpClient();")]
    [InlineData("var h = new SocketsHttpHandler();")]
    [InlineData("var a = Dns.GetHostAddresses(host);")]
    [InlineData("var k = new global::k8s.Kubernetes(config);")]
    [InlineData("var cfg = KubernetesClientConfiguration.BuildDefaultConfig();")]
    [InlineData("var ssm = new AmazonSimpleSystemsManagementClient();")]
    public void Each_way_out_is_found_outside_Tools(string line)
    {
        Assert.Single(WaysOut([("Kubernetes/X.cs", $"class X {{ void F() {{ {line} }} }}")]));
        Assert.Empty(WaysOut([("Tools/X.cs", $"class X {{ void F() {{ {line} }} }}")]));
    }

    [Fact]
    public void Tasks_call_their_domain_in_one_style()
    {
        // c.<Domain>.<Check>(...): no task makes a domain object or calls a check class itself.
        var domainTypes = Sources().Where(s => Rank.TryGetValue(TopFolder(s.Relative), out var r) && r is >= 2 and < 8)
            .SelectMany(s => TypeDeclaration().Matches(Code(s.Text)).Select(m => m.Groups[1].Value))
            .Where(t => !t.EndsWith("Service", StringComparison.Ordinal) && !t.EndsWith("ServiceContext", StringComparison.Ordinal))
            .ToHashSet();
        Assert.Empty(DirectCalls(Sources("Tasks"), domainTypes));
    }

    /// <summary>Where a task makes a domain object, calls a domain class with the context, or binds a domain method group.</summary>
    public static IEnumerable<string> DirectCalls(IEnumerable<(string Relative, string Text)> tasks, IReadOnlySet<string> domainTypes) =>
        from task in tasks
        from m in DirectCall().Matches(Code(task.Text))
        let type = m.Groups.Cast<Group>().Skip(1).FirstOrDefault(g => g.Success)?.Value
        where type is not null && domainTypes.Contains(type)
        select $"build/{task.Relative}: {m.Value}";

    [Fact]
    public void The_one_style_test_finds_each_old_style()
    {
        var types = new HashSet<string> { "TerraformChecks", "ArgoCdLive" };
        string[] old =
        [
            ".Lint(\"x\", c => TerraformChecks.Fmt(c, \"terraform\"))",
            ".Offline(\"x\", TerraformChecks.EnvironmentsAgree)",
            ".Live(\"x\", Needs.Cluster, c => new ArgoCdLive(c).PodsRunning())",
            "c => Task.FromResult(TerraformChecks.Layout(context))",
        ];
        Assert.All(old, o => Assert.Single(DirectCalls([("Tasks/X.cs", o)], types)));
        Assert.Empty(DirectCalls([("Tasks/X.cs", ".Lint(\"x\", c => c.Terraform.Fmt(\"terraform\"))")], types));
    }

    [Fact]
    public void No_file_is_over_400_lines_but_the_named_rule_sets_and_renderers()
    {
        var long_ = Sources().Where(s => s.Text.Split('\n').Length > 400 && !LongFiles.Contains(s.Relative)).Select(s => s.Relative).ToList();
        Assert.Empty(long_);
        Assert.All(LongFiles, f => Assert.Contains($"`{f}`", File.ReadAllText(Repo.Path("build/README.md"))));
    }

    [Fact]
    public void Each_folder_of_build_has_a_README()
    {
        var folders = Rank.Keys.Append("Frosting").Where(f => !File.Exists(Path.Combine(Build, f, "README.md"))).ToList();
        Assert.Empty(folders);
    }

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?Platform\.Build\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"\{([^{}""]*)\}")]
    private static partial Regex InterpolationHole();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?(?:Platform\.Build\.)?(Core|Tools|Terraform|Ansible|Kubernetes|Tenancy|ArgoCd|Apps|Monitoring|Tasks|Frosting)\.([A-Z]\w*)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"@?\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\bProcess\.Start\b|\bnew Process\b|\bProcessStartInfo\b|\bStartProcess\(|ProcessRunner\.Start\b|\bnew CommandTool\b|\bnew (?:TcpClient|UdpClient|Socket|HttpClient|HttpClientHandler|SocketsHttpHandler|HttpMessageInvoker)\b|\bDns\.|\b(?:global::)?k8s\.Kubernetes\(|\bKubernetesClientConfiguration\b|\bAmazon\w+Client\b")]
    private static partial Regex OutsideWorld();

    [GeneratedRegex(@"^\s*(?:public|internal|private|protected)? ?(?:sealed |static |abstract |readonly )*(?:partial )?(?:class|record struct|record|struct|interface|enum) (\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\bnew (\w+)\((?:c|context)\b|(?<![\w.])(\w+)\.\w+\((?:c|context)\b|,\s*(\w+)\.\w+\s*\)")]
    private static partial Regex DirectCall();
}
