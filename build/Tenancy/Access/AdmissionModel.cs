using System.Text.Json;
using k8s;
using k8s.Models;
using Platform.Build.Kubernetes.Network;

namespace Platform.Build.Tenancy.Access;

/// <summary>One write as admission sees it: the operation, the resource, the objects before and after, who asks, and the namespace.</summary>
public sealed record AdmissionRequest(
    string Operation,
    string Group,
    string Resource,
    string? Namespace,
    string Name,
    object? Object,
    object? OldObject,
    Subject User,
    V1Namespace? NamespaceObject);

/// <summary>A policy that refused a request, and what it said; <see cref="Error"/> when it refused only because an expression failed to evaluate.</summary>
public sealed record AdmissionDenial(string Policy, string Message, bool Error = false)
{
    public override string ToString() => $"{Policy}: {Message}";
}

/// <summary>
/// Kubernetes' ValidatingAdmissionPolicy, evaluated offline: bindings with
/// their namespace selectors, the policy's resource rules and match
/// conditions, its variables and validations, in CEL (the Cel package). An
/// expression that fails to evaluate counts as the failure policy says - here
/// always Fail, so it refuses, as the API server would.
/// </summary>
public sealed class AdmissionModel
{
    // One CEL environment and program cache per thread: the table's namespaces are
    // evaluated side by side, and nothing says the Cel package's programs may be shared.
    [ThreadStatic]
    private static Cel.CelEnvironment? t_environment;

    [ThreadStatic]
    private static Dictionary<string, Cel.CelProgramDelegate>? t_compiled;

    private readonly List<(V1ValidatingAdmissionPolicy Policy, V1ValidatingAdmissionPolicyBinding Binding)> _bound = [];

    public AdmissionModel(IEnumerable<object> objects)
    {
        var list = objects.ToList();
        var policies = list.OfType<V1ValidatingAdmissionPolicy>().ToDictionary(p => p.Metadata.Name);
        foreach (var binding in list.OfType<V1ValidatingAdmissionPolicyBinding>())
        {
            if (policies.TryGetValue(binding.Spec.PolicyName, out var policy))
            {
                _bound.Add((policy, binding));
            }
        }
    }

    public int Policies => _bound.Count;

    /// <summary>The bound policies whose resource rules match (for a finding to name what admitted a request).</summary>
    public IReadOnlyList<string> Matching(string group, string resource, string operation) =>
        [.. _bound.Where(b => (b.Policy.Spec.MatchConstraints?.ResourceRules ?? []).Any(r => Has(r.ApiGroups, group) && Has(r.Resources, resource) && Has(r.Operations, operation)))
            .Select(b => b.Policy.Metadata.Name).Distinct()];

    /// <summary>Why admission refuses the request; empty when it admits it.</summary>
    public IReadOnlyList<AdmissionDenial> Denials(AdmissionRequest request)
    {
        var denials = new List<AdmissionDenial>();
        foreach (var (policy, binding) in _bound)
        {
            if (!(binding.Spec.ValidationActions?.Contains("Deny") ?? false) || !Selected(policy, binding, request))
            {
                continue;
            }

            denials.AddRange(Evaluate(policy, request));
        }

        return denials;
    }

    private static bool Selected(V1ValidatingAdmissionPolicy policy, V1ValidatingAdmissionPolicyBinding binding, AdmissionRequest request)
    {
        var rules = policy.Spec.MatchConstraints?.ResourceRules ?? [];
        if (!rules.Any(r => Has(r.ApiGroups, request.Group) && Has(r.Resources, request.Resource) && Has(r.Operations, request.Operation)))
        {
            return false;
        }

        // A Namespace is selected by its own labels (the old ones on delete); other objects by their namespace's.
        var labels = request.Resource == "namespaces"
            ? Labels(request.Operation == "DELETE" ? request.OldObject : request.Object)
            : request.NamespaceObject?.Metadata?.Labels;
        // Namespace selectors do not restrict cluster-scoped objects other than Namespaces; a null selector selects all.
        var clusterScoped = request.Namespace is null && request.Resource != "namespaces";
        var known = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        bool Matches(V1LabelSelector? selector) => selector is null || clusterScoped || PolicyEvaluator.Selects(selector, known);
        return Matches(policy.Spec.MatchConstraints?.NamespaceSelector) && Matches(binding.Spec.MatchResources?.NamespaceSelector);
    }

    private static IEnumerable<AdmissionDenial> Evaluate(V1ValidatingAdmissionPolicy policy, AdmissionRequest request)
    {
        var name = policy.Metadata.Name;
        var context = Context(request);
        try
        {
            foreach (var condition in policy.Spec.MatchConditions ?? [])
            {
                if (Run(condition.Expression, context) is not true)
                {
                    return [];
                }
            }

            var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
            context["variables"] = variables;
            foreach (var variable in policy.Spec.Variables ?? [])
            {
                variables[variable.Name] = Run(variable.Expression, context);
            }

            return (policy.Spec.Validations ?? [])
                .Where(v => Run(v.Expression, context) is not true)
                .Select(v => new AdmissionDenial(name, v.Message ?? $"failed expression: {v.Expression}"))
                .ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // failurePolicy: Fail (the only one the platform renders) - an error refuses.
            return policy.Spec.FailurePolicy == "Ignore" ? [] : [new AdmissionDenial(name, $"evaluation error ({e.GetType().Name}: {e.Message.Split('\n')[0]}), refused by failurePolicy Fail", Error: true)];
        }
    }

    /// <summary>Why a CEL expression does not compile, or null when it does.</summary>
    public static string? CompileError(string expression)
    {
        try
        {
            _ = Program(expression);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e.Message.Split('\n')[0];
        }
    }

    private static object? Run(string expression, Dictionary<string, object?> context) => Program(expression)(context!);

    /// <summary>Each expression compiled once per thread.</summary>
    private static Cel.CelProgramDelegate Program(string expression)
    {
        var compiled = t_compiled ??= new Dictionary<string, Cel.CelProgramDelegate>(StringComparer.Ordinal);
        if (!compiled.TryGetValue(expression, out var program))
        {
            program = (t_environment ??= new Cel.CelEnvironment(null, null)).Compile(expression);
            compiled[expression] = program;
        }

        return program;
    }

    private static Dictionary<string, object?> Context(AdmissionRequest request) => new(StringComparer.Ordinal)
    {
        ["object"] = CelValue(request.Object),
        ["oldObject"] = CelValue(request.OldObject),
        ["namespaceObject"] = CelValue(request.NamespaceObject),
        ["params"] = null,
        ["request"] = new Dictionary<string, object?>
        {
            ["operation"] = request.Operation,
            ["name"] = request.Name,
            ["namespace"] = request.Namespace ?? string.Empty,
            ["resource"] = new Dictionary<string, object?> { ["group"] = request.Group, ["resource"] = request.Resource },
            ["userInfo"] = new Dictionary<string, object?> { ["username"] = request.User.User, ["groups"] = request.User.Groups.Cast<object?>().ToList() },
        },
    };

    /// <summary>
    /// An object as CEL sees it: the JSON form, as maps, lists, strings, integers and
    /// booleans. Rendered objects are shared by many probes, so their form is kept
    /// (CEL never changes a value it reads).
    /// </summary>
    public static object? CelValue(object? value) =>
        value is null ? null : Converted.GetValue(value, v => new Box(Convert(JsonDocument.Parse(KubernetesJson.Serialize(v)).RootElement))).Value;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, Box> Converted = [];

    private sealed record Box(object? Value);

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Convert(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static IDictionary<string, string>? Labels(object? item) => (item as IMetadata<V1ObjectMeta>)?.Metadata?.Labels;

    private static bool Has(IList<string>? list, string value) => list is not null && (list.Contains("*") || list.Contains(value));
}
