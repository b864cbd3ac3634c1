using System.Diagnostics;
using Xunit;
using Platform.Build.Core.Checks;
using Platform.Build.Terraform;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Terraform;

/// <summary>One state bucket and one KMS key per environment, made by terraform/bootstrap versioned, SSE-KMS, private and TLS-only.</summary>
public sealed class StateBucketTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("specs", "terraform");

    public void Dispose() => _repo.Dispose();

    private Outcome Check() => TerraformChecks.RemoteState(PlatformContext.Create(_repo.Root));

    private void Edit(string file, string find, string replace) => _repo.Edit(file, find, replace);

    [Fact]
    public void The_shipped_backends_and_bootstrap_pass() => Assert.Equal(CheckStatus.Passed, Check().Status);

    [Fact]
    public void Dev_and_prod_sharing_one_bucket_is_named()
    {
        // Issue 11: one bucket for both, so dev's credentials could reach prod's state.
        Edit("terraform/environments/prod/prod.s3.tfbackend", "example-platform-prod-terraform-state", "example-platform-dev-terraform-state");

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("terraform/environments/prod/prod.s3.tfbackend: bucket example-platform-dev-terraform-state is shared with another environment", outcome.Detail);
    }

    [Fact]
    public void A_backend_without_its_KMS_key_is_named()
    {
        Edit("terraform/environments/dev/dev.s3.tfbackend", "kms_key_id = \"alias/platform-dev-terraform-state\"\n", string.Empty);

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains("terraform/environments/dev/dev.s3.tfbackend: no kms_key_id", outcome.Detail);
    }

    [Theory]
    [InlineData("    status = \"Enabled\"", "    status = \"Suspended\"", "versioning Enabled")]
    [InlineData("      sse_algorithm     = \"aws:kms\"", "      sse_algorithm     = \"AES256\"", "SSE-KMS")]
    [InlineData("  block_public_policy     = true", "  block_public_policy     = false", "block_public_policy")]
    [InlineData("  enable_key_rotation     = true", "  enable_key_rotation     = false", "KMS key rotation")]
    public void A_weakened_bootstrap_is_named(string find, string replace, string expected)
    {
        Edit("terraform/bootstrap/main.tf", find, replace);

        var outcome = Check();

        Assert.Equal(CheckStatus.Failed, outcome.Status);
        Assert.Contains($"terraform/bootstrap/main.tf: lacks {expected}", outcome.Detail);
    }

    [SkippableFact]
    public void The_bootstrap_configuration_validates()
    {
        Skip.IfNot(Directory.Exists("/opt/tf-plugins/registry.terraform.io"), "no provider mirror at /opt/tf-plugins");
        var folder = _repo.Path("terraform/bootstrap");
        foreach (var args in new[] { new[] { "init", "-backend=false", "-input=false", "-plugin-dir=/opt/tf-plugins" }, ["validate", "-no-color"] })
        {
            var start = new ProcessStartInfo("terraform") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment.Remove("TF_CLI_CONFIG_FILE");
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var terraform = Process.Start(start)!;
            var output = terraform.StandardOutput.ReadToEnd() + terraform.StandardError.ReadToEnd();
            terraform.WaitForExit();
            Assert.True(terraform.ExitCode == 0, $"terraform {args[0]}: {output}");
        }
    }
}
