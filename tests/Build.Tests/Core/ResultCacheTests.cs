using Xunit;
using Platform.Build.Core.Cache;
using Platform.Build.Core.Checks;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Core;

/// <summary>The cache store and the key's inputs, without a build: the classes a run cannot vary from a test.</summary>
public sealed class ResultCacheTests : IDisposable
{
    private readonly TempRepo _repo = new(withSpec: false);
    private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public void Dispose() => _repo.Dispose();

    private ResultCache Store() => new(_repo.Path("cache"), "run-1", () => _now);

    private static SortedDictionary<string, string> Components(params (string Name, string Value)[] parts) =>
        new(parts.ToDictionary(p => p.Name, p => p.Value), StringComparer.Ordinal);

    [Fact]
    public void The_same_inputs_hit_and_another_build_of_the_code_misses_naming_it()
    {
        var store = Store();
        store.Record("T", "item", Components(("build Build.dll", "1 100"), ("file a", "x")), Outcome.Pass("ok"), []);

        Assert.NotNull(store.Lookup("T", "item", Components(("build Build.dll", "1 100"), ("file a", "x")), null, null).Hit);
        var miss = store.Lookup("T", "item", Components(("build Build.dll", "2 200"), ("file a", "x")), null, null);
        Assert.Null(miss.Hit);
        Assert.Equal("build Build.dll changed", miss.Reason);
    }

    [Fact]
    public void A_pass_older_than_its_max_age_is_rerun_and_says_what_it_depends_on()
    {
        var store = Store();
        var inputs = Components(("file a", "x"));
        store.Record("T", "converge", inputs, Outcome.Pass("idempotent"), []);
        _now = _now.AddHours(25);

        var miss = store.Lookup("T", "converge", inputs, TimeSpan.FromHours(24), "it installs the mirror's packages");

        Assert.Null(miss.Hit);
        Assert.Equal("the cached pass is older than 24 h (it installs the mirror's packages)", miss.Reason);
    }

    [Fact]
    public void A_check_that_needs_the_network_keys_whether_it_is_reachable()
    {
        _repo.Write("a.txt", "x");
        var online = new InputScan(_repo.Root, [], "Validate", () => null);
        var offline = new InputScan(_repo.Root, [], "Validate", () => "no default route");
        var inputs = new CheckInputs(["a.txt"]) { Network = true };

        var store = Store();
        store.Record("T", "converge", online.Components(inputs, []), Outcome.Pass("ok"), []);
        var miss = store.Lookup("T", "converge", offline.Components(inputs, []), null, null);

        Assert.Null(miss.Hit);
        Assert.Equal("network changed", miss.Reason);
    }

    [Fact]
    public void The_key_holds_the_build_the_tools_the_mode_and_the_user()
    {
        var scan = new InputScan(_repo.Root, [("env", "dev")], "Validate", () => null);

        Assert.Contains(scan.Global.Keys, k => k == "build Build.dll");
        Assert.Contains(scan.Global.Keys, k => k == "tool terraform");
        Assert.Contains(scan.Global.Keys, k => k == "tool config /var/lib/dpkg/status");
        Assert.Equal("Validate", scan.Global["mode"]);
        Assert.Contains(scan.Global.Keys, k => k == "user");
        Assert.Contains(scan.Global.Keys, k => k == "option --env");
    }

    [Fact]
    public void Build_output_and_tool_caches_are_not_inputs_but_links_are_without_being_followed()
    {
        _repo.Write("terraform/main.tf", "x");
        _repo.Write("terraform/.terraform/providers/p", "cache");
        _repo.Write("artifacts/reports/r.json", "{}");
        File.CreateSymbolicLink(_repo.Path("terraform/link.tf"), "/etc/hostname");
        var scan = new InputScan(_repo.Root, [], "Validate", () => null);

        var files = scan.Files(["**"]).Select(f => f.Key).ToList();

        Assert.Contains("terraform/main.tf", files);
        Assert.Contains("terraform/link.tf", files);
        Assert.DoesNotContain(files, f => f.Contains(".terraform/", StringComparison.Ordinal) || f.StartsWith("artifacts/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_script_tool_upgraded_in_place_changes_its_fingerprint()
    {
        // yamllint as pip leaves it: a launcher whose text never changes, and its library folder.
        var site = _repo.Path("venv/lib/python3.11/site-packages");
        Directory.CreateDirectory(site);
        Directory.CreateDirectory(_repo.Path("venv/bin"));
        File.CreateSymbolicLink(_repo.Path("venv/bin/python3"), "/usr/bin/python3");
        _repo.Write("venv/bin/yamllint", $"#!{_repo.Path("venv/bin/python3")}\nfrom yamllint.cli import run\nrun()\n");
        using var env = new EnvironmentScope().Set("PATH", _repo.Path("venv/bin"));
        Directory.SetLastWriteTimeUtc(site, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var before = new InputScan(_repo.Root, [], "Validate", () => null).Global["tool yamllint"];

        Directory.CreateDirectory(Path.Combine(site, "yamllint-1.35.1.dist-info"));
        Directory.SetLastWriteTimeUtc(site, new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        var after = new InputScan(_repo.Root, [], "Validate", () => null).Global["tool yamllint"];

        Assert.Contains("libraries", before);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void A_new_provider_in_the_mirror_folder_changes_the_option()
    {
        _repo.Write("mirror/registry.terraform.io/hashicorp/aws/5.80.0.zip", "zip");
        var options = new[] { ("terraform-plugin-dir", _repo.Path("mirror")) };
        var before = new InputScan(_repo.Root, options, "Validate", () => null).Global["option --terraform-plugin-dir"];

        _repo.Write("mirror/registry.terraform.io/hashicorp/aws/5.81.0.zip", "zip");
        var after = new InputScan(_repo.Root, options, "Validate", () => null).Global["option --terraform-plugin-dir"];

        Assert.NotEqual(before, after);
    }

    [Theory]
    [InlineData("terraform/modules/vpc/**", "terraform/modules/vpc/main.tf", true)]
    [InlineData("terraform/modules/vpc/**", "terraform/modules/vpc/tests/a.tftest.hcl", true)]
    [InlineData("terraform/modules/vpc/**", "terraform/modules/vpcx/main.tf", false)]
    [InlineData("terraform/environments/*/outputs.tf", "terraform/environments/dev/outputs.tf", true)]
    [InlineData("terraform/environments/*/outputs.tf", "terraform/environments/dev/x/outputs.tf", false)]
    [InlineData("**", "README.md", true)]
    [InlineData("**/*.yaml", "kubernetes/a/b.yaml", true)]
    [InlineData("**/*.yaml", "top.yaml", true)]
    [InlineData("{ansible,kubernetes}/**", "kubernetes/x", true)]
    [InlineData("a,b", "a,b", true)]
    public void Globs_match_as_written(string glob, string path, bool matches) =>
        Assert.Equal(matches, Glob.ToRegex(glob).IsMatch(path));
}
