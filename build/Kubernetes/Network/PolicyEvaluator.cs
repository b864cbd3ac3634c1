using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Platform.Build.Kubernetes.Network;

/// <summary>
/// Kubernetes NetworkPolicy semantics, computed: which ports one endpoint may
/// open on another under a set of policies. A pod is isolated in a direction
/// when any policy of that type selects it; then only the union of the rules
/// of those policies passes. A flow passes when the source's egress and the
/// destination's ingress both allow it.
/// Modelled: podSelector/namespaceSelector (matchLabels, matchExpressions, empty = all,
/// both in one peer = pods of those namespaces), ipBlock with except (addresses outside
/// the cluster only: pod IPs change, so the platform never relies on them), ports with
/// protocol, endPort and named ports (resolved on the destination pod), policyTypes
/// defaults. Not modelled: traffic to the node itself, host-network pods.
/// </summary>
public sealed class PolicyEvaluator
{
    private readonly ILookup<string, V1NetworkPolicy> _byNamespace;
    private readonly Dictionary<(Endpoint, string), List<V1NetworkPolicy>> _selecting = new(new PairByReference());
    private readonly Dictionary<IList<V1NetworkPolicyPort>, PortSet> _numericPorts = new(ReferenceEqualityComparer.Instance);

    public PolicyEvaluator(IEnumerable<V1NetworkPolicy> policies) =>
        _byNamespace = policies.ToLookup(p => p.Metadata.NamespaceProperty ?? "default");

    /// <summary>What passes from <paramref name="source"/> to <paramref name="destination"/>: both sides must allow it.</summary>
    public PortSet Allowed(Endpoint source, Endpoint destination) =>
        Egress(source, destination).Intersect(Ingress(source, destination));

    /// <summary>What the source's egress policies let out towards the destination (all, if the source is not egress-isolated or not a pod).</summary>
    public PortSet Egress(Endpoint source, Endpoint destination)
    {
        if (!source.IsPod)
        {
            return PortSet.All;
        }

        var selecting = Selecting(source, "Egress");
        if (selecting.Count == 0)
        {
            return PortSet.All;
        }

        var allowed = PortSet.None;
        foreach (var policy in selecting)
        {
            foreach (var rule in policy.Spec.Egress ?? [])
            {
                if (PeersMatch(rule.To, policy, destination))
                {
                    allowed = allowed.Union(PortsOf(rule.Ports, destination));
                }
            }
        }

        return allowed;
    }

    /// <summary>What the destination's ingress policies let in from the source (all, if the destination is not ingress-isolated or not a pod).</summary>
    public PortSet Ingress(Endpoint source, Endpoint destination)
    {
        if (!destination.IsPod)
        {
            return PortSet.All;
        }

        var selecting = Selecting(destination, "Ingress");
        if (selecting.Count == 0)
        {
            return PortSet.All;
        }

        var allowed = PortSet.None;
        foreach (var policy in selecting)
        {
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                if (PeersMatch(rule.FromProperty, policy, source))
                {
                    allowed = allowed.Union(PortsOf(rule.Ports, destination));
                }
            }
        }

        return allowed;
    }

    /// <summary>The policies that select this pod for a direction.</summary>
    public IReadOnlyList<V1NetworkPolicy> Selecting(Endpoint pod, string direction)
    {
        // Asked once per pair of endpoints: remember the answer per endpoint (not thread-safe; one evaluator per thread).
        if (!_selecting.TryGetValue((pod, direction), out var list))
        {
            list = [.. _byNamespace[pod.Namespace!].Where(p => Types(p).Contains(direction) && Selects(p.Spec.PodSelector, pod.PodLabels))];
            _selecting[(pod, direction)] = list;
        }

        return list;
    }

    private sealed class PairByReference : IEqualityComparer<(Endpoint, string)>
    {
        public bool Equals((Endpoint, string) x, (Endpoint, string) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((Endpoint, string) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), obj.Item2);
    }

    /// <summary>policyTypes, or its default: Ingress always, Egress when the policy has an egress section.</summary>
    public static IReadOnlyList<string> Types(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes is { Count: > 0 } types ? [.. types]
        : policy.Spec.Egress is not null ? ["Ingress", "Egress"] : ["Ingress"];

    /// <summary>An absent or empty peer list means every source or destination.</summary>
    private static bool PeersMatch(IList<V1NetworkPolicyPeer>? peers, V1NetworkPolicy policy, Endpoint other) =>
        peers is null || peers.Count == 0 || peers.Any(peer => PeerMatches(peer, policy, other));

    private static bool PeerMatches(V1NetworkPolicyPeer peer, V1NetworkPolicy policy, Endpoint other)
    {
        if (peer.IpBlock is { } block)
        {
            return other.Address is { } address && InCidr(address, block.Cidr) && !(block.Except ?? []).Any(e => InCidr(address, e));
        }

        if (!other.IsPod)
        {
            return false;
        }

        var namespaceOk = peer.NamespaceSelector is null
            ? other.Namespace == (policy.Metadata.NamespaceProperty ?? "default")
            : Selects(peer.NamespaceSelector, other.NamespaceLabels);
        var podOk = peer.PodSelector is null || Selects(peer.PodSelector, other.PodLabels);
        return namespaceOk && podOk;
    }

    /// <summary>A rule's ports; those without named ports do not depend on the destination and are computed once.</summary>
    private PortSet PortsOf(IList<V1NetworkPolicyPort>? ports, Endpoint destination)
    {
        if (ports is null || ports.Count == 0)
        {
            return PortSet.All;
        }

        if (_numericPorts.TryGetValue(ports, out var known))
        {
            return known;
        }

        var set = Ports(ports, destination);
        if (ports.All(p => p.Port?.Value is null || int.TryParse(p.Port.Value, out _)))
        {
            _numericPorts[ports] = set;
        }

        return set;
    }

    /// <summary>No ports listed: every port. A named port is the destination container port of that name and protocol.</summary>
    private static PortSet Ports(IList<V1NetworkPolicyPort>? ports, Endpoint destination)
    {
        if (ports is null || ports.Count == 0)
        {
            return PortSet.All;
        }

        var set = PortSet.None;
        foreach (var port in ports)
        {
            var protocol = port.Protocol ?? "TCP";
            var value = port.Port?.Value;
            if (value is null)
            {
                set = set.Union(PortSet.AllOf(protocol));
            }
            else if (int.TryParse(value, out var number))
            {
                set = set.Union(PortSet.Range(protocol, number, port.EndPort ?? number));
            }
            else
            {
                foreach (var named in destination.Ports.Where(p => p.Name == value && p.Protocol.Equals(protocol, StringComparison.OrdinalIgnoreCase)))
                {
                    set = set.Union(PortSet.Single(protocol, named.Port));
                }
            }
        }

        return set;
    }

    /// <summary>Label selector semantics: null selects nothing here (callers decide what absence means), empty selects all.</summary>
    public static bool Selects(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        if (selector.MatchLabels is { } wanted)
        {
            foreach (var (key, value) in wanted)
            {
                if (!labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
        }

        if (selector.MatchExpressions is not { Count: > 0 } expressions)
        {
            return true;
        }

        foreach (var expression in expressions)
        {
            var has = labels.TryGetValue(expression.Key, out var actual);
            var values = expression.Values ?? [];
            var ok = expression.OperatorProperty switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException($"label selector operator '{expression.OperatorProperty}' is not In, NotIn, Exists or DoesNotExist"),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static bool InCidr(IPAddress address, string cidr)
    {
        var parts = cidr.Split('/');
        var network = IPAddress.Parse(parts[0]);
        if (network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var bits = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
