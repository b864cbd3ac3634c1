using System.Net;
using System.Text;

namespace Platform.Build.Tests.Support;

/// <summary>
/// A Kubernetes API on 127.0.0.1 that answers from a table of (method, path)
/// to JSON and records every request, so the build's cluster checks can be
/// tested on the requests they make and the answers they read.
/// </summary>
public sealed class FakeApiServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, (int Status, string Body)> _routes = [];
    private readonly Dictionary<string, Queue<string>> _sequences = [];
    private readonly Dictionary<string, Func<string, string>> _responders = [];
    private readonly CancellationTokenSource _stop = new();

    public FakeApiServer()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(Serve);
    }

    public string Url { get; }

    public List<(string Method, string Path, string Query, string Body)> Requests { get; } = [];

    /// <summary>Answer (method, path) with JSON; a path ending in * answers every path it starts.</summary>
    public FakeApiServer On(string method, string path, string json, int status = 200)
    {
        _routes[$"{method} {path}"] = (status, json);
        return this;
    }

    /// <summary>Answer (method, path) with JSON computed from the request body (an authorizer answering SubjectAccessReviews).</summary>
    public FakeApiServer OnBody(string method, string path, Func<string, string> respond)
    {
        _responders[$"{method} {path}"] = respond;
        return this;
    }

    /// <summary>Answer (method, path) with these bodies in turn, the last one from then on (a resource whose status changes).</summary>
    public FakeApiServer OnSequence(string method, string path, params string[] bodies)
    {
        _sequences[$"{method} {path}"] = new Queue<string>(bodies);
        return On(method, path, bodies[^1]);
    }

    /// <summary>Answer a watch (GET path?watch=true) with these events, one JSON line each, then end the stream.</summary>
    public FakeApiServer OnWatch(string path, params (string Type, string Object)[] events)
    {
        _routes[$"WATCH {path}"] = (200, string.Concat(events.Select(e => $"{{\"type\":\"{e.Type}\",\"object\":{e.Object}}}\n")));
        return this;
    }

    /// <summary>A kubeconfig pointing at this server (no authentication).</summary>
    public string Kubeconfig(string folder)
    {
        var path = Path.Combine(folder, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: {Url.TrimEnd('/')}
            contexts:
              - name: fake
                context:
                  cluster: fake
                  user: fake
            current-context: fake
            users:
              - name: fake
                user:
                  token: test-token-not-a-secret
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext call;
            try
            {
                call = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            using var reader = new StreamReader(call.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var path = call.Request.Url!.AbsolutePath;
            lock (Requests)
            {
                Requests.Add((call.Request.HttpMethod, path, call.Request.Url.Query, body));
            }

            var watching = call.Request.QueryString["watch"] == "true";
            var key = $"{(watching ? "WATCH" : call.Request.HttpMethod)} {path.TrimEnd('/')}";
            string? next = null;
            lock (_sequences)
            {
                if (_sequences.TryGetValue(key, out var queue) && queue.Count > 1)
                {
                    next = queue.Dequeue();
                }
            }

            Func<string, string>? responder;
            lock (_responders)
            {
                responder = _responders.GetValueOrDefault(key);
            }

            var (status, json) = responder is not null ? (200, responder(body))
                : next is not null ? (200, next)
                : _routes.TryGetValue(key, out var route) ? route
                : _routes.Where(r => r.Key.EndsWith('*') && key.StartsWith(r.Key[..^1], StringComparison.Ordinal)).Select(r => r.Value).FirstOrDefault() is { Body: not null } wildcard ? wildcard
                : (404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
            var bytes = Encoding.UTF8.GetBytes(json);
            call.Response.StatusCode = status;
            call.Response.ContentType = "application/json";
            await call.Response.OutputStream.WriteAsync(bytes);
            call.Response.Close();
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
