using System.Diagnostics;
using Xunit;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Ansible;

/// <summary>
/// The kubelet serving certificate approver (files/approve-kubelet-serving.sh),
/// run for real against real certificate requests (openssl) with kubectl faked:
/// only a node of the inventory asking for its own names is approved; a node
/// asking for the API server's name, another node's address, or a requester
/// that is no node of the inventory is refused.
/// </summary>
public sealed class ServingCertApprovalTests : IDisposable
{
    private readonly TempRepo _repo = TempRepo.WithTracked("ansible");
    private readonly string _work;

    public ServingCertApprovalTests()
    {
        _work = _repo.Path("work");
        Directory.CreateDirectory(Path.Combine(_work, "bin"));
    }

    public void Dispose() => _repo.Dispose();

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }

    /// <summary>A real PKCS#10 request for these subject alternative names, base64 as the CSR object holds it.</summary>
    private string Request(string name, string sans)
    {
        var key = Path.Combine(_work, $"{name}.key");
        var csr = Path.Combine(_work, $"{name}.csr");
        Run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
            "-subj", $"/O=system:nodes/CN=system:node:{name}", "-addext", $"subjectAltName={sans}");
        return Convert.ToBase64String(File.ReadAllBytes(csr));
    }

    [SkippableFact]
    public void Only_a_nodes_request_for_its_own_names_is_approved()
    {
        Skip.IfNot(File.Exists("/usr/bin/openssl"), "openssl is not installed");
        var requests = new Dictionary<string, (string User, string Request)>
        {
            ["csr-good"] = ("system:node:cp-1", Request("good", "DNS:cp-1,DNS:ip-10-20-1-10,IP:10.20.1.10")),
            ["csr-api-name"] = ("system:node:cp-1", Request("api", "DNS:cp-1,DNS:kubernetes.default.svc,IP:10.20.1.10")),
            ["csr-other-address"] = ("system:node:w-1", Request("other", "DNS:w-1,IP:10.20.1.10")),
            ["csr-stranger"] = ("system:node:intruder", Request("stranger", "DNS:intruder,IP:10.20.9.9")),
        };
        foreach (var (name, (_, request)) in requests)
        {
            File.WriteAllText(Path.Combine(_work, name + ".req"), request);
        }

        var list = string.Join("\n", requests.Select(r => $"{r.Key} kubernetes.io/kubelet-serving {r.Value.User} ")) + "\ncsr-client kubernetes.io/kube-apiserver-client-kubelet system:node:cp-1 \ncsr-done kubernetes.io/kubelet-serving system:node:cp-1 Approved\n";
        File.WriteAllText(Path.Combine(_work, "list.txt"), list);
        var kubectl = Path.Combine(_work, "bin", "kubectl");
        File.WriteAllText(kubectl, string.Join('\n',
            "#!/bin/bash",
            "case \"$*\" in",
            $"  \"get csr -o jsonpath=\"*) cat {_work}/list.txt ;;",
            "  \"get csr \"*\" -o jsonpath={.spec.request}\") cat \"" + _work + "/$3.req\" ;;",
            $"  \"certificate approve \"*) echo \"$3\" >> {_work}/approved.txt ;;",
            "  *) echo \"unexpected: $*\" >&2; exit 1 ;;",
            "esac",
            string.Empty));
        File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { _repo.Path("ansible/roles/k8s-control-plane/files/approve-kubelet-serving.sh"), "cp-1=10.20.1.10=ip-10-20-1-10", "w-1=10.20.2.10=ip-10-20-2-10" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = Path.Combine(_work, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var script = Process.Start(start)!;
        var stdout = script.StandardOutput.ReadToEnd();
        var stderr = script.StandardError.ReadToEnd();
        script.WaitForExit();

        Assert.True(script.ExitCode == 0, stderr);
        Assert.Equal("approved=1", stdout.Trim());
        Assert.Equal(["csr-good"], File.ReadAllLines(Path.Combine(_work, "approved.txt")));
        Assert.Contains("not approving csr-api-name: it asks for", stderr);
        Assert.Contains("not approving csr-other-address", stderr);
        Assert.Contains("not approving csr-stranger: system:node:intruder is not a node of this inventory", stderr);
    }
}
