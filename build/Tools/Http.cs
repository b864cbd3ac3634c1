namespace Platform.Build.Tools;

/// <summary>HTTP clients for checks that reach a service directly (an application's public endpoint); tests pass a handler.</summary>
public static class Http
{
    public static HttpClient Client(HttpMessageHandler? handler = null) =>
        handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
}
