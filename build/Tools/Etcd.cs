using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Platform.Build.Tools;

/// <summary>
/// An etcd server the build starts for a drill: Debian's etcd-server, listening
/// on loopback only, its data in a scratch folder, its log in a file, stopped
/// (and its process gone) on Dispose. Never a system service.
/// </summary>
public sealed class EtcdServer : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private EtcdServer(string name, string dataDir, string clientUrl, string peerUrl, Process process, StreamWriter log)
    {
        Name = name;
        DataDir = dataDir;
        ClientUrl = clientUrl;
        PeerUrl = peerUrl;
        _process = process;
        _log = log;
    }

    public string Name { get; }
    public string DataDir { get; }
    public string ClientUrl { get; }
    public string PeerUrl { get; }

    /// <summary>The member list a one-member restore names: <c>NAME=PEER_URL</c>.</summary>
    public static string InitialCluster(string name, string peerUrl) => $"{name}={peerUrl}";

    /// <summary>
    /// Starts <c>etcd</c> on two free loopback ports, on <paramref name="dataDir"/>
    /// (a restored data dir keeps its member: etcd reads it, the cluster flags only name it).
    /// </summary>
    public static EtcdServer Start(string name, string dataDir, string logFile, string? peerUrl = null, string? initialCluster = null)
    {
        Interrupts.ThrowIfInterrupted();
        var clientUrl = $"http://127.0.0.1:{FreeLoopbackPort()}";
        peerUrl ??= $"http://127.0.0.1:{FreeLoopbackPort()}";
        var start = new ProcessStartInfo("etcd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Only these flags: an ETCD_* variable of the caller (ETCD_LISTEN_METRICS_URLS=http://0.0.0.0:...) would reach etcd as a flag.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ETCD", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var argument in new[]
        {
            $"--name={name}",
            $"--data-dir={dataDir}",
            $"--listen-client-urls={clientUrl}",
            $"--advertise-client-urls={clientUrl}",
            $"--listen-peer-urls={peerUrl}",
            $"--initial-advertise-peer-urls={peerUrl}",
            $"--initial-cluster={initialCluster ?? InitialCluster(name, peerUrl)}",
            "--initial-cluster-state=new",
            "--logger=zap",
            "--log-outputs=stderr",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StreamWriter(File.Open(logFile, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ToolFailedException("etcd did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            log.Dispose();
            throw new ToolNotFoundException("etcd");
        }

        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new EtcdServer(name, dataDir, clientUrl, peerUrl, process, log);
    }

    /// <summary>Waits until <c>/health</c> says true; false when etcd exited or the time ran out.</summary>
    public async Task<bool> WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            Interrupts.ThrowIfInterrupted();
            try
            {
                var body = await http.GetStringAsync(new Uri($"{ClientUrl}/health")).ConfigureAwait(false);
                if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Writes keys through etcd's v3 JSON gateway (one request each, no process per key).</summary>
    public async Task PutAsync(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var (key, value) in pairs)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["key"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)),
                ["value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)),
            });
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri($"{ClientUrl}/v3/kv/put"), content).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ToolFailedException($"etcd {ClientUrl}: put {key} answered {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>Stops etcd (SIGKILL: a crash is what a drill stands for) and waits for it to be gone.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
        _log.Dispose();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Whether 127.0.0.1 can be listened on (a network namespace made by unshare has its loopback down).</summary>
    public static bool LoopbackUsable()
    {
        // Binding works on a loopback that is down; connecting does not.
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return false;
        }
    }

    /// <summary>A port on 127.0.0.1 nothing listens on now (the OS picks it).</summary>
    public static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
