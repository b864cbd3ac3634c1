using System.Text;
using k8s.Models;
using Platform.Build.Kubernetes.Network;

namespace Platform.Build.Tenancy;

/// <summary>What may pass between two endpoints, and the rule of the platform that says so.</summary>
public sealed record Expectation(PortSet Ports, string Rule);

/// <summary>The computed flows and every place they differ from the platform's rules.</summary>
public sealed record IsolationReport(
    IReadOnlyList<Endpoint> Endpoints,
    IReadOnlyList<string> Findings,
    int PairsChecked,
    IReadOnlyList<(string Source, string Destination, PortSet Ports)> NamespaceFlows)
{
    /// <summary>Rows: where traffic starts; columns: where it goes; cells: what passes (".": nothing).</summary>
    public string Matrix()
    {
        var groups = Endpoints.Select(Group).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine("| from \\ to | " + string.Join(" | ", groups) + " |");
        text.AppendLine("|---|" + string.Concat(groups.Select(_ => "---|")));
        var cells = NamespaceFlows.ToDictionary(f => (f.Source, f.Destination), f => f.Ports);
        foreach (var row in groups)
        {
            text.Append("| **").Append(row).Append("** |");
            foreach (var column in groups)
            {
                var ports = cells.GetValueOrDefault((row, column));
                text.Append(' ').Append(ports is null || ports.IsEmpty ? "." : ports.ToString()).Append(" |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The same flows as CSV (one line per pair of groups that lets something pass), for tools and big catalogs.</summary>
    public string Csv()
    {
        var text = new StringBuilder("from,to,ports\n");
        foreach (var (source, destination, ports) in NamespaceFlows.Where(f => !f.Ports.IsEmpty).OrderBy(f => f.Source, StringComparer.Ordinal).ThenBy(f => f.Destination, StringComparer.Ordinal))
        {
            text.Append(source).Append(',').Append(destination).Append(",\"").Append(ports).AppendLine("\"");
        }

        return text.ToString();
    }

    /// <summary>
    /// One row per organization: what its namespaces reach and what reaches them,
    /// grouped (own namespace, the other organizations, the platform). Grows with
    /// the catalog, not with its square, so it stays readable at any size.
    /// </summary>
    public string OrganizationRows(TenantCatalog catalog)
    {
        var tenantOf = catalog.Organizations.SelectMany(o => o.Namespaces.Select(n => (n, o.Name))).ToDictionary(p => p.n, p => p.Name);
        var text = new StringBuilder();
        text.AppendLine("| organization | namespaces | within a namespace | to its other namespaces | to other organizations | from other organizations | out to the platform and outside | in from the platform |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        string Join(IEnumerable<(string Where, PortSet Ports)> flows)
        {
            var open = flows.Where(f => !f.Ports.IsEmpty).GroupBy(f => f.Ports.ToString()).Select(g => $"{string.Join(", ", g.Select(f => f.Where).Distinct())}: {g.Key}").ToList();
            return open.Count == 0 ? "." : string.Join("; ", open);
        }

        var bySource = NamespaceFlows.ToLookup(f => f.Source);
        var byDestination = NamespaceFlows.ToLookup(f => f.Destination);
        foreach (var org in catalog.Organizations)
        {
            var mine = org.Namespaces.ToHashSet();
            var outgoing = org.Namespaces.SelectMany(n => bySource[n]).ToList();
            var incoming = org.Namespaces.SelectMany(n => byDestination[n]).ToList();
            var within = outgoing.Where(f => f.Destination == f.Source).Select(f => (f.Source, f.Ports));
            var sibling = outgoing.Where(f => f.Destination != f.Source && mine.Contains(f.Destination)).Select(f => ($"{f.Source} to {f.Destination}", f.Ports));
            var toOthers = outgoing.Where(f => tenantOf.TryGetValue(f.Destination, out var o) && o != org.Name).Select(f => ($"{f.Source} to {f.Destination}", f.Ports));
            var fromOthers = incoming.Where(f => tenantOf.TryGetValue(f.Source, out var o) && o != org.Name).Select(f => ($"{f.Source} to {f.Destination}", f.Ports));
            var toPlatform = outgoing.Where(f => !tenantOf.ContainsKey(f.Destination)).Select(f => (f.Destination, f.Ports));
            var fromPlatform = incoming.Where(f => !tenantOf.ContainsKey(f.Source)).Select(f => (f.Source, f.Ports));
            text.AppendLine($"| **{org.Name}** | {string.Join(", ", org.Namespaces)} | {Join(within)} | {Join(sibling)} | {Join(toOthers)} | {Join(fromOthers)} | {Join(toPlatform)} | {Join(fromPlatform)} |");
        }

        return text.ToString();
    }

    public static string Group(Endpoint endpoint) => endpoint.Namespace ?? endpoint.Name;
}

/// <summary>
/// Computes, from the rendered NetworkPolicies, what may pass between every
/// pair of workloads across the tenant namespaces, cluster DNS, the ingress
/// controller, monitoring and the outside, and compares it with the
/// platform's rules: same namespace open, DNS to kube-dns on 53 only, the
/// ingress controller to pods that ask for it on "http", Prometheus on
/// "metrics", nothing else, and above all nothing between organizations.
/// Each side must hold on its own: a tenant's egress and a tenant's ingress
/// are checked separately, so one namespace's policy cannot lean on another's.
/// </summary>
public static class TenantIsolation
{
    public const string ExposeLabel = "platform.example.com/ingress";

    /// <param name="onlyWorkloads">Compute only the flows to and from <paramref name="workloads"/> (one application's check), not the whole matrix.</param>
    public static IsolationReport Evaluate(TenantCatalog catalog, IEnumerable<V1NetworkPolicy> policies, IEnumerable<V1Namespace> namespaces, IEnumerable<Endpoint>? workloads = null, bool onlyWorkloads = false)
    {
        var added = (workloads ?? []).ToList();
        var endpoints = Endpoints(catalog, namespaces.ToDictionary(n => n.Metadata.Name), added);
        var policyList = policies.ToList();
        var tenantOf = catalog.Organizations.SelectMany(o => o.Namespaces.Select(n => (n, o.Name))).ToDictionary(p => p.n, p => p.Name);
        var rules = new PlatformRules(catalog);

        // Every pair of endpoints, one row of sources at a time: rows are independent,
        // so they are computed side by side (an evaluator per thread, as it caches).
        var rows = new Row[endpoints.Count];
        Parallel.For(0, endpoints.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => new PolicyEvaluator(policyList),
            (i, _, evaluator) =>
            {
                var destinations = !onlyWorkloads || added.Contains(endpoints[i]) ? endpoints : added;
                rows[i] = EvaluateRow(endpoints[i], destinations, evaluator, rules, tenantOf);
                return evaluator;
            },
            _ => { });

        var findings = rows.SelectMany(r => r.Findings).ToList();
        var pairs = rows.Sum(r => r.Pairs);
        var cells = new Dictionary<(string, string), PortSet>();
        foreach (var (key, ports) in rows.SelectMany(r => r.Cells))
        {
            cells[key] = cells.TryGetValue(key, out var sofar) ? sofar.Union(ports) : ports;
        }

        foreach (var ns in catalog.TenantNamespaces)
        {
            findings.AddRange(DefaultDeny(ns, policyList));

            // A policy that selects nothing protects nothing: usually a typo in its podSelector.
            var pods = endpoints.Where(e => e.Namespace == ns).ToList();
            findings.AddRange(policyList.Where(p => p.Metadata.NamespaceProperty == ns && !pods.Any(pod => PolicyEvaluator.Selects(p.Spec.PodSelector, pod.PodLabels)))
                .Select(p => $"{ns}/{p.Metadata.Name}: selects no pod (of the probes and workloads): check its podSelector"));
        }

        var flows = cells.Select(c => (c.Key.Item1, c.Key.Item2, c.Value)).ToList();
        return new IsolationReport(endpoints, findings.Distinct().ToList(), pairs, flows);
    }

    private sealed record Row(Dictionary<(string, string), PortSet> Cells, List<string> Findings, int Pairs);

    /// <summary>What passes from one source to every endpoint, against the platform's rules.</summary>
    private static Row EvaluateRow(Endpoint source, IReadOnlyList<Endpoint> endpoints, PolicyEvaluator evaluator, PlatformRules rules, Dictionary<string, string> tenantOf)
    {
        var cells = new Dictionary<(string, string), PortSet>();
        var findings = new List<string>();
        var pairs = 0;
        var sourceGroup = IsolationReport.Group(source);
        var sourceTenant = source.Namespace is { } s && tenantOf.ContainsKey(s);
        foreach (var destination in endpoints)
        {
            if (ReferenceEquals(source, destination) && source.IsPod)
            {
                continue; // a pod talking to itself never crosses a policy
            }

            var egress = evaluator.Egress(source, destination);
            var ingress = evaluator.Ingress(source, destination);
            var allowed = egress.Intersect(ingress);
            var key = (sourceGroup, IsolationReport.Group(destination));
            cells[key] = cells.TryGetValue(key, out var sofar) ? sofar.Union(allowed) : allowed;

            var destinationTenant = destination.Namespace is { } d && tenantOf.ContainsKey(d);
            if (!sourceTenant && !destinationTenant)
            {
                continue; // between platform components: not the tenants' policies' business
            }

            pairs++;
            var expected = rules.Expect(source, destination);
            string Flow() => $"{source.Id} -> {destination.Id}";
            if (!allowed.IsSubsetOf(expected.Ports))
            {
                var crossOrg = sourceTenant && destinationTenant && tenantOf[source.Namespace!] != tenantOf[destination.Namespace!];
                findings.Add($"{Flow()}: {allowed.Except(expected.Ports)} passes, but {expected.Rule}{(crossOrg ? " (traffic between organizations)" : string.Empty)}");
            }
            else if (!expected.Ports.IsSubsetOf(allowed))
            {
                findings.Add($"{Flow()}: {expected.Ports.Except(allowed)} is blocked, but {expected.Rule}");
            }
            else
            {
                // Each side on its own: one namespace's policy must not lean on another's.
                if (sourceTenant && !egress.IsSubsetOf(expected.Ports))
                {
                    findings.Add($"{Flow()}: {source.Namespace}'s egress lets {egress.Except(expected.Ports)} out; only {destination.Namespace}'s ingress stops it ({expected.Rule})");
                }

                if (destinationTenant && !ingress.IsSubsetOf(expected.Ports))
                {
                    findings.Add($"{Flow()}: {destination.Namespace}'s ingress lets {ingress.Except(expected.Ports)} in; only {source.Namespace}'s egress stops it ({expected.Rule})");
                }
            }
        }

        return new Row(cells, findings, pairs);
    }

    /// <summary>A tenant namespace needs a policy selecting every pod for both directions with no rule of its own.</summary>
    public static IEnumerable<string> DefaultDeny(string ns, IEnumerable<V1NetworkPolicy> policies)
    {
        var mine = policies.Where(p => (p.Metadata.NamespaceProperty ?? "default") == ns).ToList();
        var all = new Dictionary<string, string>();
        bool Denies(string direction) => mine.Any(p =>
            PolicyEvaluator.Types(p).Contains(direction) && PolicyEvaluator.Selects(p.Spec.PodSelector, all)
            && p.Spec.PodSelector.MatchLabels is not { Count: > 0 } && p.Spec.PodSelector.MatchExpressions is not { Count: > 0 }
            && (direction == "Ingress" ? p.Spec.Ingress is not { Count: > 0 } : p.Spec.Egress is not { Count: > 0 }));
        if (mine.Count == 0)
        {
            yield return $"{ns}: no NetworkPolicy at all: every pod is open both ways";
            yield break;
        }

        foreach (var direction in new[] { "Ingress", "Egress" }.Where(d => !Denies(d)))
        {
            yield return $"{ns}: no default-deny {direction} policy (podSelector {{}} with policyTypes [{direction}] and no rules)";
        }
    }

    /// <summary>Probe pods per tenant namespace (one that asks for ingress, one that does not) and the platform's own endpoints.</summary>
    public static IReadOnlyList<Endpoint> Endpoints(TenantCatalog catalog, IReadOnlyDictionary<string, V1Namespace> namespaces, IEnumerable<Endpoint> workloads)
    {
        var ports = new[] { new ContainerPort("http", 8080), new ContainerPort("metrics", 9090) };
        var list = new List<Endpoint>();
        var external = new List<Endpoint>();
        foreach (var (org, env) in catalog.Organizations.SelectMany(o => o.Environments.Select(e => (o, e))))
        {
            var ns = org.NamespaceOf(env);
            var labels = namespaces.TryGetValue(ns, out var obj) ? (IReadOnlyDictionary<string, string>)(obj.Metadata.Labels ?? new Dictionary<string, string>()) : new Dictionary<string, string>();
            list.Add(Endpoint.Pod(ns, "app", labels, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "probe" }, ports));
            list.Add(Endpoint.Pod(ns, "exposed", labels, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "probe-exposed", [ExposeLabel] = "allowed" }, ports));
            foreach (var allowance in env.Egress)
            {
                // A pod the exception is for, and the place it may reach: the network's first
                // host, or its only addresses for a /31 or /32.
                list.Add(Endpoint.Pod(ns, $"egress-{allowance.Name}", labels, allowance.PodLabels, ports));
                var network = System.Net.IPNetwork.Parse(allowance.Cidr);
                var first = network.BaseAddress.GetAddressBytes();
                if (network.PrefixLength < 31)
                {
                    first[^1] |= 1;
                }

                external.Add(Endpoint.External(EgressEndpointName(ns, allowance), new System.Net.IPAddress(first).ToString()));
            }
        }

        list.AddRange(workloads);
        var none = new Dictionary<string, string>();
        list.Add(Endpoint.Pod("kube-system", "kube-dns", none, new Dictionary<string, string> { ["k8s-app"] = "kube-dns" },
            new ContainerPort("dns", 53, "UDP"), new ContainerPort("dns-tcp", 53), new ContainerPort("metrics", 9153)));
        var ingress = catalog.Platform.IngressController;
        list.Add(Endpoint.Pod(ingress.Namespace, "controller", none, ingress.PodLabels, new ContainerPort("http", 80), new ContainerPort("https", 443)));
        var monitoring = catalog.Platform.Monitoring;
        list.Add(Endpoint.Pod(monitoring.Namespace, "prometheus", none, monitoring.PodLabels, new ContainerPort("web", 9090)));
        list.AddRange(external);
        list.Add(Endpoint.External("internet", "203.0.113.10"));
        list.Add(Endpoint.External("instance-metadata", "169.254.169.254"));
        return list;
    }

    /// <summary>The matrix's name for an egress exception's destination.</summary>
    public static string EgressEndpointName(string ns, EgressAllowance allowance) => $"{ns}:{allowance.Name}";

    /// <summary>
    /// The platform's rules, what may pass from source to destination when either is a tenant
    /// pod, with what they look up prepared once: they are asked for every pair of endpoints.
    /// </summary>
    private sealed class PlatformRules(TenantCatalog catalog)
    {
        private static readonly PortSet Dns = PortSet.Single("UDP", 53).Union(PortSet.Single("TCP", 53));
        private readonly HashSet<string> _tenants = [.. catalog.TenantNamespaces];
        private readonly PodGroup _ingress = catalog.Platform.IngressController;
        private readonly PodGroup _monitoring = catalog.Platform.Monitoring;

        private readonly ILookup<string, EgressAllowance> _egress = catalog.Organizations
            .SelectMany(o => o.Environments.SelectMany(e => e.Egress.Select(a => (Namespace: o.NamespaceOf(e), Allowance: a))))
            .ToLookup(x => x.Namespace, x => x.Allowance);

        public Expectation Expect(Endpoint source, Endpoint destination)
        {
            var sourceTenant = source.Namespace is { } s && _tenants.Contains(s);
            var destinationTenant = destination.IsPod && _tenants.Contains(destination.Namespace!);
            if (source.IsPod && destination.IsPod && source.Namespace == destination.Namespace && sourceTenant)
            {
                return new(PortSet.All, "pods of one namespace may talk freely");
            }

            if (sourceTenant && destination.Namespace == "kube-system" && destination.PodLabels.GetValueOrDefault("k8s-app") == "kube-dns")
            {
                return new(Dns, "tenants reach cluster DNS on 53 UDP and TCP only");
            }

            if (destinationTenant && source.Namespace == _ingress.Namespace && Matches(_ingress.PodLabels, source.PodLabels))
            {
                return destination.PodLabels.GetValueOrDefault(ExposeLabel) == "allowed"
                    ? new(Named(destination, "http"), "the ingress controller reaches pods labelled for ingress on their \"http\" port only")
                    : new(PortSet.None, "the ingress controller reaches only pods labelled for ingress");
            }

            if (destinationTenant && source.Namespace == _monitoring.Namespace && Matches(_monitoring.PodLabels, source.PodLabels))
            {
                return new(Named(destination, "metrics"), "Prometheus scrapes tenant pods on their \"metrics\" port only");
            }

            if (sourceTenant && destination.Address is { } address && _egress[source.Namespace!]
                    .Where(a => Matches(a.PodLabels, source.PodLabels) && PolicyEvaluator.InCidr(address, a.Cidr)).ToList() is { Count: > 0 } allowances)
            {
                return new(allowances.Aggregate(PortSet.None, (set, a) => a.Ports.Aggregate(set, (inner, p) => inner.Union(PortSet.Single(a.Protocol, p)))),
                    $"the egress exception{(allowances.Count > 1 ? "s" : string.Empty)} {string.Join(", ", allowances.Select(a => a.Name))} of {source.Namespace} in {TenantCatalog.RelativePath}");
            }

            return new(PortSet.None, sourceTenant && destinationTenant
                ? "nothing passes between tenant namespaces"
                : "nothing else passes to or from a tenant namespace");
        }

        private static PortSet Named(Endpoint pod, string name) =>
            pod.Ports.Where(p => p.Name == name && p.Protocol == "TCP").Aggregate(PortSet.None, (set, p) => set.Union(PortSet.Single("TCP", p.Port)));
    }

    private static bool Matches(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> labels) =>
        wanted.All(w => labels.TryGetValue(w.Key, out var v) && v == w.Value);
}
