using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Kubernetes.Workloads;

namespace Platform.Build.Apps;

/// <summary>
/// Dex's configuration as the pod would see it: the ConfigMap's template
/// rendered with the container's environment (the image's entrypoint runs
/// gomplate's getenv), then held to what a shared, multi-replica OIDC provider
/// needs: an https issuer on the Ingress's host, shared storage, every secret
/// taken from the environment, listen ports matching the container's.
/// </summary>
public static partial class DexConfig
{
    public const string ConfigMapName = "sso-config";
    public const string ConfigKey = "config.yaml";

    public static IReadOnlyList<string> Findings(IReadOnlyList<Manifest> render)
    {
        var findings = new List<string>();
        var pod = PodTemplate.In(render).FirstOrDefault(p => p.Owner.Object is V1Deployment);
        var configMap = render.Select(m => m.Object).OfType<V1ConfigMap>().FirstOrDefault(c => c.Metadata.Name == ConfigMapName);
        if (pod is null || configMap?.Data?.TryGetValue(ConfigKey, out var template) != true || template is null)
        {
            return [$"the render has no Deployment or no ConfigMap {ConfigMapName} with {ConfigKey}"];
        }

        if (pod.Spec.Containers is not { Count: > 0 })
        {
            return [$"{pod.Name} has no container"];
        }

        var container = pod.Spec.Containers[0];
        var environment = Environment(render, container);
        var rendered = GetEnv().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            if (environment.TryGetValue(name, out var value) && value.Literal is { } literal)
            {
                return literal;
            }

            if (match.Groups["default"].Success)
            {
                return match.Groups["default"].Value;
            }

            findings.Add(value is null
                ? $"{ConfigKey} reads {name} with getenv, but the container does not set it"
                : $"{ConfigKey} renders {name} into the file, but it comes from a Secret: reference it as ${name} where Dex expands it (storage, connectors) so it is never written out");
            return "unset";
        });

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(rendered));
            root = (YamlMappingNode)stream.Documents[0].RootNode;
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidCastException or ArgumentOutOfRangeException)
        {
            return [.. findings, $"{ConfigKey} does not render to a YAML mapping: {e.Message.ReplaceLineEndings(" ")}"];
        }

        string? Text(params string[] path) => Node(root, path) is YamlScalarNode { Value: { } v } ? v : null;

        var issuer = Text("issuer");
        var hosts = render.Select(m => m.Object).OfType<V1Ingress>().SelectMany(i => i.Spec.Rules ?? []).Select(r => r.Host).ToList();
        if (issuer is null || !Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme != "https")
        {
            findings.Add($"issuer '{issuer}' must be an https URL");
        }
        else if (!hosts.Contains(uri.Host))
        {
            findings.Add($"issuer host {uri.Host} is not the Ingress's host ({string.Join(", ", hosts)}): clients could not reach the issuer they are given");
        }

        var storage = Text("storage", "type");
        var replicas = pod.Replicas ?? 2;
        if (storage is "memory" or "sqlite3" && replicas > 1)
        {
            findings.Add($"storage {storage} is per pod: {replicas} replicas would each hold their own sessions and keys; use postgres");
        }
        else if (storage is null)
        {
            findings.Add("storage.type is not set");
        }

        var password = Text("storage", "config", "password");
        if (password is not null && !IsSecretEnvironmentReference(password, environment))
        {
            findings.Add("storage.config.password is written in the configuration: use $VARIABLE with the variable from a Secret");
        }

        var sslMode = Text("storage", "config", "ssl", "mode");
        if (storage == "postgres" && sslMode is not ("verify-full" or "verify-ca"))
        {
            findings.Add($"storage.config.ssl.mode is '{sslMode ?? "(unset)"}': verify the database's certificate (verify-full)");
        }

        if (Node(root, "staticPasswords") is not null)
        {
            findings.Add("staticPasswords puts password hashes in git: manage users through Dex's API or a connector");
        }

        if (Node(root, "staticClients") is YamlSequenceNode clients)
        {
            foreach (var client in clients.Children.OfType<YamlMappingNode>())
            {
                var id = client.Children.TryGetValue(new YamlScalarNode("id"), out var idNode) ? idNode.ToString() : "?";
                if (client.Children.ContainsKey(new YamlScalarNode("secret")))
                {
                    findings.Add($"static client {id} has its secret in the configuration: use secretEnv");
                }
                else if (client.Children.TryGetValue(new YamlScalarNode("secretEnv"), out var env) && !IsSecretEnvironmentReference($"${env}", environment))
                {
                    findings.Add($"static client {id} reads its secret from {env}, which the container does not take from a Secret");
                }
            }
        }

        // dex serve's flags win over the file: check what Dex will really listen on.
        string? Flag(string name) => (container.Args ?? []).Concat(container.Command ?? []).Select(a => a.Split('=', 2)).Where(p => p.Length == 2 && p[0] == name).Select(p => p[1]).LastOrDefault();
        CheckPort(findings, Flag("--web-http-addr") ?? Text("web", "http"), container, "http", "web.http");
        CheckPort(findings, Flag("--telemetry-addr") ?? Text("telemetry", "http"), container, "metrics", "telemetry.http");
        if ((Flag("--grpc-addr") ?? Text("grpc", "addr")) is { } grpc)
        {
            CheckPort(findings, grpc, container, "grpc", "grpc.addr");
            var missing = new[] { "tlsCert", "tlsKey", "tlsClientCA" }.Where(k => Text("grpc", k) is null).ToList();
            if (missing.Count > 0)
            {
                findings.Add($"the gRPC API (it creates users and clients) has no {string.Join(", ", missing)}: require mutual TLS");
            }
        }
        foreach (Match reference in Variable().Matches(rendered))
        {
            if (!environment.ContainsKey(reference.Groups[1].Value))
            {
                findings.Add($"{ConfigKey} expands ${reference.Groups[1].Value}, which the container does not set");
            }
        }

        return findings;
    }

    private sealed record EnvValue(string? Literal, bool FromSecret);

    /// <summary>The container's environment: literals (also from rendered ConfigMaps), and which names come from Secrets.</summary>
    private static Dictionary<string, EnvValue> Environment(IReadOnlyList<Manifest> render, V1Container container)
    {
        var result = new Dictionary<string, EnvValue>(StringComparer.Ordinal);
        var configMaps = render.Select(m => m.Object).OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name);
        foreach (var from in container.EnvFrom ?? [])
        {
            if (from.ConfigMapRef is { } cm && configMaps.TryGetValue(cm.Name, out var map))
            {
                foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
                {
                    result[(from.Prefix ?? string.Empty) + key] = new EnvValue(value, false);
                }
            }
        }

        foreach (var env in container.Env ?? [])
        {
            result[env.Name] = env.ValueFrom?.SecretKeyRef is not null ? new EnvValue(null, true)
                : env.ValueFrom is not null ? new EnvValue(null, false)
                : new EnvValue(env.Value ?? string.Empty, false);
        }

        return result;
    }

    private static bool IsSecretEnvironmentReference(string value, Dictionary<string, EnvValue> environment) =>
        Variable().Match(value) is { Success: true } m && m.Value == value && environment.TryGetValue(m.Groups[1].Value, out var env) && env.FromSecret;

    private static void CheckPort(List<string> findings, string? address, V1Container container, string portName, string field)
    {
        var port = (container.Ports ?? []).FirstOrDefault(p => p.Name == portName)?.ContainerPort;
        var listens = address?.Split(':').LastOrDefault();
        if (port is null || listens != port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            findings.Add($"{field} listens on '{address}', but the container's port {portName} is {port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not declared"}");
        }
    }

    private static YamlNode? Node(YamlMappingNode root, params string[] path)
    {
        YamlNode? node = root;
        foreach (var key in path)
        {
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var next) ? next : null;
        }

        return node;
    }

    [GeneratedRegex("""\{\{\s*getenv\s+"(?<name>[A-Za-z_][A-Za-z0-9_]*)"(\s+"(?<default>[^"]*)")?\s*\}\}""")]
    private static partial Regex GetEnv();

    [GeneratedRegex(@"\$\{?([A-Z_][A-Z0-9_]*)\}?")]
    private static partial Regex Variable();
}
