using Xunit;
using Platform.Build.Tests.Support;
using static Platform.Build.Tests.Core.CacheProbe;

namespace Platform.Build.Tests.Core;

/// <summary>
/// The result cache: every input class a check can depend on reruns it when
/// it changes, a hit replays the row and its exhibits and says so, and what
/// is never cached (live, manual, derived, failures, --no-cache) runs every time.
/// </summary>
public sealed class CacheTests : IDisposable
{
    private readonly TempRepo _repo = NewRepo();
    private readonly EnvironmentScope _env = EnvironmentScope.WithoutAws().Set("GITHUB_STEP_SUMMARY", null);

    public CacheTests() => Calls.Clear();

    public void Dispose()
    {
        _env.Dispose();
        _repo.Dispose();
    }

    private (string Status, string Detail, string? Cache, bool Cached) Row(string item) => ReportFile.CacheRow(_repo.Root, null, item);

    /// <summary>A first run, then the calls of a second run after <paramref name="change"/>.</summary>
    private List<string> SecondRun(Action change, params string[] args)
    {
        Assert.Equal(0, Run(_repo, args).ExitCode);
        Calls.Clear();
        change();
        Run(_repo, args);
        return [.. Calls];
    }

    [Fact]
    public void A_second_run_with_nothing_changed_replays_every_pass_and_says_from_which_run()
    {
        var calls = SecondRun(() => { });

        Assert.DoesNotContain("inputs", calls);
        Assert.DoesNotContain("repository", calls);
        var row = Row("Reads its inputs");
        Assert.Equal("Passed", row.Status);
        Assert.Equal("inputs/a.txt: good", row.Detail);
        Assert.True(row.Cached);
        Assert.Matches(@"^cached: run \d{8}-\d{6}-\d+, \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", row.Cache);
    }

    [Fact]
    public void A_replayed_check_brings_back_its_exhibit()
    {
        SecondRun(() => { });

        Assert.True(Row("Shows an exhibit").Cached);
        Assert.Contains("## Probe exhibit", _repo.Read("artifacts/reports/summary.md"));
    }

    [Fact]
    public void A_changed_input_file_reruns_the_check_and_the_report_names_the_file()
    {
        var calls = SecondRun(() => _repo.Write("inputs/a.txt", "broken"));

        Assert.Contains("inputs", calls);
        var row = Row("Reads its inputs");
        Assert.Equal("Failed", row.Status);
        Assert.Equal("ran: file inputs/a.txt changed", row.Cache);
    }

    [Fact]
    public void A_new_file_matching_a_glob_reruns_the_check()
    {
        var calls = SecondRun(() => _repo.Write("inputs/new.txt", "x"));

        Assert.Contains("inputs", calls);
        Assert.Equal("ran: file inputs/new.txt is new", Row("Reads its inputs").Cache);
    }

    [Fact]
    public void A_deleted_input_file_reruns_the_check()
    {
        var calls = SecondRun(() => File.Delete(_repo.Path("inputs/a.txt")));

        Assert.Contains("inputs", calls);
        Assert.Equal("Failed", Row("Reads its inputs").Status);
        Assert.Equal("ran: file inputs/a.txt is gone", Row("Reads its inputs").Cache);
    }

    [Fact]
    public void A_change_outside_a_narrowed_check_replays_it_but_reruns_the_repository_wide_one()
    {
        var calls = SecondRun(() => _repo.Write("other/b.txt", "broken"));

        Assert.DoesNotContain("inputs", calls);
        Assert.True(Row("Reads its inputs").Cached);
        Assert.Contains("repository", calls);
        Assert.Equal("Failed", Row("Reads the repository").Status);
        Assert.Equal("ran: file other/b.txt changed", Row("Reads the repository").Cache);
    }

    [Fact]
    public void A_changed_tool_on_the_path_reruns_checks_that_read_no_file()
    {
        var bin = _repo.Path("bin-tools");
        _repo.Write("bin-tools/terraform", "#!/bin/sh\necho 1.11.0\n");
        _env.Set("PATH", $"{bin}:{Environment.GetEnvironmentVariable("PATH")}");

        var calls = SecondRun(() => _repo.Write("bin-tools/terraform", "#!/bin/sh\necho 1.12.0 upgraded\n"));

        Assert.Contains("tool", calls);
        Assert.Equal("ran: tool terraform changed", Row("Reads a tool and a variable").Cache);
    }

    [Fact]
    public void A_changed_environment_variable_reruns_the_check()
    {
        _env.Set("TF_CLI_CONFIG_FILE", "/nonexistent/one.tfrc");

        var calls = SecondRun(() => _env.Set("TF_CLI_CONFIG_FILE", "/nonexistent/two.tfrc"));

        Assert.Contains("tool", calls);
        Assert.Equal("ran: env TF_CLI_CONFIG_FILE changed", Row("Reads a tool and a variable").Cache);
    }

    [Fact]
    public void A_changed_file_named_by_an_environment_variable_reruns_the_check()
    {
        _repo.Write("outside/mirror.tfrc", "provider_installation {}\n");
        _env.Set("TF_CLI_CONFIG_FILE", _repo.Path("outside/mirror.tfrc"));

        var calls = SecondRun(() => _repo.Write("outside/mirror.tfrc", "provider_installation { direct {} }\n"));

        Assert.Contains("tool", calls);
        Assert.Contains("env TF_CLI_CONFIG_FILE changed", Row("Reads a tool and a variable").Cache);
    }

    [Fact]
    public void A_secret_in_the_environment_is_keyed_by_its_hash_and_never_written()
    {
        _env.Set("PLATFORM_GIT_TOKEN", "ghp_secretvalue123456");
        Run(_repo);

        var cache = string.Concat(Directory.EnumerateFiles(_repo.Path("artifacts/cache/checks"), "*.json", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("env PLATFORM_GIT_TOKEN", cache);
        Assert.DoesNotContain("ghp_secretvalue123456", cache);
    }

    [Fact]
    public void A_changed_option_reruns_the_check()
    {
        Assert.Equal(0, Run(_repo, "--env=dev").ExitCode);
        Calls.Clear();
        Run(_repo, "--env=prod");

        Assert.Contains("tool", Calls);
        Assert.Equal("ran: option --env changed", Row("Reads a tool and a variable").Cache);
    }

    [Fact]
    public void Naming_the_default_environment_is_another_key_than_leaving_it_out()
    {
        // Without --env the tenancy checks cover both clusters; with --env=dev only dev's.
        Assert.Equal(0, Run(_repo).ExitCode);
        Calls.Clear();
        Run(_repo, "--env=dev");

        Assert.Contains("tool", Calls);
        Assert.Equal("ran: option --env given changed", Row("Reads a tool and a variable").Cache);
    }

    [Fact]
    public void A_file_that_loses_its_execute_bit_reruns_the_checks_that_read_it()
    {
        File.SetUnixFileMode(_repo.Path("inputs/a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var calls = SecondRun(() => File.SetUnixFileMode(_repo.Path("inputs/a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite));

        Assert.Contains("inputs", calls);
        Assert.Equal("ran: file inputs/a.txt changed", Row("Reads its inputs").Cache);
    }

    [Fact]
    public void A_run_with_other_options_does_not_evict_the_first_ones_passes()
    {
        Run(_repo);
        Run(_repo, "--env=prod");
        Calls.Clear();
        Run(_repo);

        Assert.Empty(Calls);
        Assert.True(Row("Reads a tool and a variable").Cached);
    }

    [Fact]
    public void No_cache_runs_every_check_and_says_so()
    {
        var calls = SecondRun(() => { }, "--no-cache");

        Assert.Contains("inputs", calls);
        Assert.Contains("repository", calls);
        Assert.Equal("ran: --no-cache", Row("Reads its inputs").Cache);
        Calls.Clear();

        // The passes of a --no-cache run are kept: the next run replays them.
        Run(_repo);
        Assert.DoesNotContain("inputs", Calls);
    }

    [Fact]
    public void A_failure_is_never_replayed()
    {
        _repo.Write("inputs/a.txt", "broken");
        Run(_repo);
        Calls.Clear();
        Run(_repo);

        Assert.Contains("inputs", Calls);
        Assert.Equal("ran: nothing cached (no earlier pass)", Row("Reads its inputs").Cache);
    }

    [Fact]
    public void Live_checks_are_never_cached()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE").Set("AWS_SECRET_ACCESS_KEY", "example-secret");
        BuildRun.Platform(host => host.WithTasks(CacheProbe.Tasks), "--target=ReadInputs", $"--working={_repo.Root}");
        Calls.Clear();
        BuildRun.Platform(host => host.WithTasks(CacheProbe.Tasks), "--target=ReadInputs", $"--working={_repo.Root}");

        Assert.Contains("live", Calls);
        Assert.Null(Row("Live item").Cache);
    }

    [Fact]
    public void A_derived_item_follows_this_runs_results_and_is_never_replayed()
    {
        SecondRun(() => _repo.Write("inputs/a.txt", "broken"));

        var derived = Row("Follows the input check");
        Assert.Equal("Failed", derived.Status);
        Assert.False(derived.Cached);
        Assert.StartsWith("not cached:", derived.Cache);
        Assert.Equal("Manual", Row("Manual item").Status);
        Assert.Null(Row("Manual item").Cache);
    }

    [Fact]
    public void An_unreadable_cache_entry_is_a_miss_not_an_error()
    {
        Run(_repo);
        foreach (var entry in Directory.EnumerateFiles(_repo.Path("artifacts/cache/checks"), "*.json", SearchOption.AllDirectories))
        {
            File.WriteAllText(entry, "{ not json");
        }

        Calls.Clear();
        var result = Run(_repo);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("inputs", Calls);
        Assert.Equal("ran: the cached entry is unreadable", Row("Reads its inputs").Cache);
    }

    [Fact]
    public void The_console_says_how_many_rows_were_replayed_and_why_the_others_ran()
    {
        Run(_repo);
        _repo.Write("inputs/a.txt", "broken");
        var result = Run(_repo);

        Assert.Matches(@"cache: \d+ replayed, \d+ ran", result.Output);
        Assert.Contains("file inputs/a.txt changed", result.Output);
        Assert.Contains("FAIL 8.1 ReadInputs: Reads its inputs", result.Output);
    }

    [Fact]
    public void At_normal_verbosity_the_console_has_a_line_per_task_and_no_passing_rows_or_tool_output()
    {
        var normal = Run(_repo, "--no-cache");
        var verbose = Run(_repo, "--no-cache", "--verbosity=verbose");

        Assert.Matches(@"8\.1 ReadInputs\s+4 passed, 1 skipped, 1 manual", normal.Output);
        Assert.DoesNotContain("Reads its inputs - inputs/a.txt: good", normal.Output);
        Assert.DoesNotContain("probe tool output line", normal.Output);
        Assert.Contains("Reads its inputs - inputs/a.txt: good", verbose.Output);
        Assert.Contains("probe tool output line", verbose.Output);
        Assert.Contains("probe tool output line", _repo.Read("artifacts/logs/ReadInputs.log"));
    }

    [Fact]
    public void Each_task_writes_its_log_under_artifacts_logs()
    {
        Run(_repo, "--no-cache");

        var log = _repo.Read("artifacts/logs/ReadInputs.log");
        Assert.Contains("Reads its inputs - inputs/a.txt: good", log);
    }
}
