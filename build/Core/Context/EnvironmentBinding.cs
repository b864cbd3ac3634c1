using System.Text.Json;
using Cake.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Build.Core.Context;

/// <summary>
/// One run touches one environment. Everything the build reaches the outside
/// with - the Terraform outputs (and through them the inventory), the
/// kubeconfig - must be --env's; a mismatch is refused before any task runs
/// (exit 2), so a dev run can never drive prod's hosts or cluster.
/// </summary>
public static class EnvironmentBinding
{
    public const string OutputsVariable = "PLATFORM_TERRAFORM_OUTPUTS";

    /// <summary>Refuses the run when an input names another environment; returns the outputs file the run uses.</summary>
    public static string Check(ICakeEnvironment environment, BuildOptions options, PlatformPaths paths)
    {
        var env = options.EnvironmentName;
        var outputs = paths.TerraformOutputs;
        if (environment.GetEnvironmentVariable(OutputsVariable) is { Length: > 0 } named)
        {
            var full = Path.GetFullPath(named, paths.Root);
            var holds = OutputsEnvironment(full, out var problem);
            if (holds != env)
            {
                throw new OptionException($"{OutputsVariable}={named}: {problem ?? $"holds the outputs of {holds}, not of --env={env}"}: unset it (the build reads terraform/outputs/{env}-terraform-outputs.json) or name {env}'s outputs");
            }

            outputs = full;
        }
        else if (File.Exists(outputs) && OutputsEnvironment(outputs, out var problem) is var holds && holds != env)
        {
            throw new OptionException($"{paths.Relative(outputs)}: {problem ?? $"holds the outputs of {holds}, not of {env}"}: write it again with ./build.sh --target=ApplyInfrastructure --env={env}");
        }

        if (options.Kubeconfig is { } kubeconfig && File.Exists(outputs) && ApiEndpoint(outputs) is { } endpoint
            && KubeconfigServer(kubeconfig) is { } server && Normalize(server) != Normalize(endpoint))
        {
            throw new OptionException($"--kubeconfig={kubeconfig}: its cluster is {server}, but {env}'s API is {endpoint} ({paths.Relative(outputs)}): pass {env}'s kubeconfig (.secrets/{env}/kubeconfig)");
        }

        return outputs;
    }

    /// <summary>The <c>environment</c> output of a <c>terraform output -json</c> file, or null with why it could not be read.</summary>
    public static string? OutputsEnvironment(string path, out string? problem)
    {
        problem = null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("environment", out var output)
                && output.ValueKind == JsonValueKind.Object && output.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            problem = "has no environment output (terraform output -json of terraform/environments/<env>)";
        }
        catch (FileNotFoundException)
        {
            problem = "does not exist";
        }
        catch (DirectoryNotFoundException)
        {
            problem = "does not exist";
        }
        catch (UnauthorizedAccessException)
        {
            problem = "cannot be read (permissions)";
        }
        catch (JsonException e)
        {
            problem = $"is not valid JSON (line {e.LineNumber + 1})";
        }

        return null;
    }

    private static string? ApiEndpoint(string outputs)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(outputs));
            return json.RootElement.TryGetProperty("api_endpoint", out var output) && output.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The server of the kubeconfig's current context (null when it cannot say: the live checks then speak).</summary>
    public static string? KubeconfigServer(string path)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(path)));
            if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
            {
                return null;
            }

            string? Scalar(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? (v as YamlScalarNode)?.Value : null;
            IEnumerable<YamlMappingNode> Entries(string key) => root.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode list ? list.OfType<YamlMappingNode>() : [];
            YamlMappingNode? Inner(YamlMappingNode entry, string key) => entry.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlMappingNode : null;

            var current = Scalar(root, "current-context");
            var context = Entries("contexts").FirstOrDefault(c => Scalar(c, "name") == current);
            var clusterName = context is null ? null : Inner(context, "context") is { } inner ? Scalar(inner, "cluster") : null;
            var cluster = Entries("clusters").FirstOrDefault(c => Scalar(c, "name") == clusterName);
            return cluster is null ? null : Inner(cluster, "cluster") is { } details ? Scalar(details, "server") : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    private static string Normalize(string url) => url.Trim().TrimEnd('/').ToLowerInvariant();
}
