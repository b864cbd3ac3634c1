using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>The committed provider locks: present, within the constraint, with an h1: hash that is the linux_amd64 package's.</summary>
public sealed class ProviderLockTests : IDisposable
{
    private const string Mirror = "/opt/tf-plugins";
    private const string DevLock = "terraform/environments/dev/.terraform.lock.hcl";
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");

    public void Dispose() => _repo.Dispose();

    private Outcome Check(bool withMirror = false) =>
        ProviderLocks.Check(PlatformContext.Create(_repo.Root, null, withMirror ? [$"--terraform-plugin-dir={Mirror}"] : []));

    [SkippableFact]
    public void The_committed_locks_hold_the_mirrors_linux_amd64_hash()
    {
        Skip.IfNot(Directory.Exists(Path.Combine(Mirror, "registry.terraform.io")), $"no provider mirror at {Mirror} to compare the hash with");

        var outcome = Check(withMirror: true);

        Assert.Equal(CheckStatus.Passed, outcome.Status);
        Assert.Contains("matches the local mirror's package (2 compared)", outcome.Detail);
    }

    [Fact]
    public void A_missing_lock_is_named_with_the_fix()
    {
        File.Delete(_repo.Path(DevLock));

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"{DevLock} is not committed: run terraform init", outcome.Detail);
    }

    [Fact]
    public void A_lock_without_hashes_trusts_any_package_and_is_named()
    {
        var text = _repo.Read(DevLock);
        _repo.Write(DevLock, System.Text.RegularExpressions.Regex.Replace(text, "\"h1:[^\"]+\",?", string.Empty));

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("no h1: hash", outcome.Detail);
    }

    [Fact]
    public void A_lock_outside_the_constraint_is_named()
    {
        _repo.Write(DevLock, _repo.Read(DevLock).Replace("version     = \"5.100.0\"", "version     = \"6.0.0\"", StringComparison.Ordinal));

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("is locked at '6.0.0', outside versions.tf's >= 5.70, < 6.0", outcome.Detail);
    }

    [SkippableFact]
    public void A_hash_of_another_package_is_named()
    {
        Skip.IfNot(Directory.Exists(Path.Combine(Mirror, "registry.terraform.io")), $"no provider mirror at {Mirror} to compare the hash with");
        var text = _repo.Read(DevLock);
        _repo.Write(DevLock, System.Text.RegularExpressions.Regex.Replace(text, "h1:[A-Za-z0-9+/=]+", "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));

        var outcome = Check(withMirror: true);

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("none of its h1: hashes is the linux_amd64 package's", outcome.Detail);
    }
}
