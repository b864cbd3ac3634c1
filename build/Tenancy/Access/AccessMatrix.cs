using System.Text;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy.Projects;

namespace Platform.Build.Tenancy.Access;

/// <summary>The rows of the "who can change what" table: the namespace's tenant, another tenant, the platform.</summary>
public enum Actor
{
    Tenant,
    OtherTenant,
    Platform,
}

/// <summary>One cell: may this actor do what this column names in this namespace, and which layers refused.</summary>
public sealed record AccessCell(string Namespace, Actor Actor, string Column, bool Allowed, string Detail);

/// <summary>The computed table of one cluster and every place it differs from the platform's rules.</summary>
public sealed record AccessReport(string Cluster, IReadOnlyList<AccessCell> Cells, IReadOnlyList<string> Findings, int Probes)
{
    public static string ActorName(Actor actor) => actor switch
    {
        Actor.Tenant => "the tenant",
        Actor.OtherTenant => "another tenant",
        _ => "the platform",
    };

    /// <summary>Rows: namespace and actor; columns: what they try; cells: yes, or no with the layers that refuse.</summary>
    public string Table(int maxNamespaces)
    {
        var namespaces = Cells.Select(c => c.Namespace).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine("| namespace | who | " + string.Join(" | ", AccessProbes.Columns) + " |");
        text.AppendLine("|---|---|" + string.Concat(AccessProbes.Columns.Select(_ => "---|")));
        var cells = Cells.ToLookup(c => (c.Namespace, c.Actor));
        foreach (var ns in namespaces.Take(maxNamespaces))
        {
            foreach (var actor in Enum.GetValues<Actor>())
            {
                var row = cells[(ns, actor)].ToDictionary(c => c.Column);
                if (row.Count == 0)
                {
                    continue;
                }

                text.Append($"| {ns} | {ActorName(actor)} |");
                foreach (var column in AccessProbes.Columns)
                {
                    text.Append(' ').Append(row.TryGetValue(column, out var cell) ? cell.Detail : "-").Append(" |");
                }

                text.AppendLine();
            }
        }

        if (namespaces.Count > maxNamespaces)
        {
            text.AppendLine($"\n{namespaces.Count - maxNamespaces} more namespaces in artifacts/reports/access-matrix-{Cluster}.csv.");
        }

        return text.ToString();
    }

    public string Csv()
    {
        var text = new StringBuilder("namespace,who,what,allowed,detail\n");
        foreach (var cell in Cells)
        {
            text.Append($"{cell.Namespace},{ActorName(cell.Actor)},{cell.Column},{(cell.Allowed ? "yes" : "no")},\"{cell.Detail.Replace("\"", "'", StringComparison.Ordinal)}\"\n");
        }

        return text.ToString();
    }
}

/// <summary>
/// Who can change what in each tenant namespace of one cluster, computed
/// from what is rendered: the AppProjects (what Argo CD syncs, and as whom),
/// the Roles, ClusterRoles and bindings (RBAC, with the cluster's built-in
/// ones), and the admission policies (evaluated in CEL). A tenant acts two
/// ways: through an Argo CD sync of its project, and from its own pods. Every
/// probe the tenant must not pass is refused by each guarding layer on its
/// own: a layer that lets it through is a finding even when another holds.
/// </summary>
public static class AccessMatrix
{
    /// <summary>kubeadm's admin.conf identity: the platform's hands.</summary>
    public static readonly Subject PlatformAdmin = new("kubernetes-admin", ["kubeadm:cluster-admins", "system:authenticated"]);

    public static AccessReport Evaluate(
        string cluster,
        TenantCatalog catalog,
        IReadOnlyDictionary<string, ProjectRules> projects,
        IReadOnlyList<object> objects,
        bool syncImpersonation)
    {
        var view = catalog.ForCluster(cluster);
        var rbac = new RbacModel(objects);
        var admission = new AdmissionModel(objects);
        var namespaces = objects.OfType<V1Namespace>().ToDictionary(n => n.Metadata.Name);
        var cells = new List<AccessCell>();
        var findings = new List<string>();
        var probes = 0;

        if (!syncImpersonation)
        {
            findings.Add($"{cluster}: Argo CD's {ArgoCdInstall.ImpersonationKey} is not \"true\": tenant syncs run as {RbacModel.BuiltIn.ArgoCdController}, with cluster-wide rights");
        }

        // Namespaces are independent: evaluated side by side, collected in catalog order.
        var work = view.Organizations.SelectMany(org => org.Namespaces.Select(ns => (Org: org, Ns: ns))).ToList();
        var rows = new (List<AccessCell> Cells, List<string> Findings, int Probes)[work.Count];
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (org, ns) = work[i];
            var other = view.Organizations.FirstOrDefault(o => o.Name != org.Name);
            rows[i] = EvaluateNamespace(catalog, projects, rbac, admission, namespaces, objects, org, ns, other, syncImpersonation);
        });
        foreach (var (someCells, someFindings, someProbes) in rows)
        {
            cells.AddRange(someCells);
            findings.AddRange(someFindings);
            probes += someProbes;
        }

        return new AccessReport(cluster, cells, findings.Distinct().ToList(), probes);
    }

    private static (List<AccessCell> Cells, List<string> Findings, int Probes) EvaluateNamespace(
        TenantCatalog catalog,
        IReadOnlyDictionary<string, ProjectRules> projects,
        RbacModel rbac,
        AdmissionModel admission,
        IReadOnlyDictionary<string, V1Namespace> namespaces,
        IReadOnlyList<object> objects,
        Organization org,
        string ns,
        Organization? other,
        bool syncImpersonation)
    {
        var cells = new List<AccessCell>();
        var findings = new List<string>();
        var probes = 0;
        var target = new ProbeTarget(ns, org, namespaces.GetValueOrDefault(ns), objects, catalog);
        var actors = new List<(Actor Actor, ProbeActor Who)> { (Actor.Tenant, new(ns, org)), (Actor.Platform, new(ns, null)) };
        if (other is not null)
        {
            actors.Insert(1, (Actor.OtherTenant, new(other.Namespaces.First(), other)));
        }

        foreach (var (actor, who) in actors)
        {
            foreach (var column in AccessProbes.Columns)
            {
                var results = new List<(AccessProbe Probe, bool Allowed, List<Layer> Refused)>();
                foreach (var probe in AccessProbes.List.Where(p => p.Column == column))
                {
                    if (probe.Build(target, who) is not { } operation)
                    {
                        continue;
                    }

                    probes++;
                    var (allowed, refused, open) = Decide(catalog, projects, rbac, admission, namespaces, who, operation, syncImpersonation);
                    results.Add((probe, allowed, refused));
                    findings.AddRange(Judge(ns, actor, who, probe, operation, allowed, open));
                }

                if (results.Count > 0)
                {
                    cells.Add(Cell(ns, actor, column, results));
                }
            }
        }

        return (cells, findings, probes);
    }

    /// <summary>What the tenant may do is its own; what it must not, each guarding layer refuses (granted kinds excepted).</summary>
    private static IEnumerable<string> Judge(string ns, Actor actor, ProbeActor who, AccessProbe probe, Operation operation, bool allowed, IReadOnlyList<(string Path, Layer Layer, string Why)> open)
    {
        var expected = actor switch
        {
            Actor.Platform => probe.PlatformMay,
            Actor.Tenant => probe.TenantMay || Granted(who.Organization, operation, probe),
            _ => false,
        };
        var where = $"{ns}: {AccessReport.ActorName(actor)}{(actor == Actor.OtherTenant ? $" ({who.Organization!.Name})" : string.Empty)}";
        if (expected)
        {
            if (!allowed)
            {
                yield return $"{where} cannot {probe.What} ({probe.Column}), which it must be able to: check the deployer's ClusterRole and the admission policies";
            }

            yield break;
        }

        var guards = Guards(actor, who, probe, operation);
        foreach (var (path, layer, why) in open.Where(o => guards.Contains(o.Layer)))
        {
            yield return $"{where} can {probe.What} ({probe.Column}) {path}: {Name(layer)} lets it through ({why})";
        }
    }

    /// <summary>The layers that must refuse on their own; a grant takes the project and plain RBAC out for that kind.</summary>
    private static HashSet<Layer> Guards(Actor actor, ProbeActor who, AccessProbe probe, Operation operation)
    {
        var guards = actor == Actor.OtherTenant
            ? new HashSet<Layer>([Layer.Project, Layer.Rbac, .. probe.Guards.Where(g => g == Layer.Admission)])
            : [.. probe.Guards];
        if (actor == Actor.OtherTenant && operation.Namespace == who.Namespace)
        {
            // Acting in its own namespace (claiming a host): only admission knows whose host it is.
            guards = [.. probe.Guards];
        }

        if (who.Organization?.Grants.Any(g => g.Kind == operation.Kind) == true)
        {
            guards.Remove(Layer.Project);
            if (operation.RoleRef is null && operation.RoleRules is null)
            {
                guards.Remove(Layer.Rbac);
            }
        }

        return guards;
    }

    private static bool Granted(Organization? org, Operation operation, AccessProbe probe) =>
        org?.Grants.Any(g => g.Kind == operation.Kind) == true && probe.Guards.All(g => g != Layer.Admission) && operation.RoleRef is null && operation.RoleRules is null;

    /// <summary>
    /// Every way the actor can send the request: the platform directly; a tenant
    /// through an Argo CD sync of its project and from its pods. Returns whether
    /// any way gets through, which layers refused, and each guarding layer that let
    /// it through on some way (with the identity it ran as).
    /// </summary>
    private static (bool Allowed, List<Layer> Refused, List<(string Path, Layer Layer, string Why)> Open) Decide(
        TenantCatalog catalog,
        IReadOnlyDictionary<string, ProjectRules> projects,
        RbacModel rbac,
        AdmissionModel admission,
        IReadOnlyDictionary<string, V1Namespace> namespaces,
        ProbeActor who,
        Operation operation,
        bool syncImpersonation)
    {
        var paths = new List<(string Path, Subject? User, ProjectRules? Project)>();
        if (who.Organization is null)
        {
            paths.Add(("as the platform", PlatformAdmin, null));
        }
        else
        {
            var project = projects.GetValueOrDefault(who.Organization.Name);
            if (operation.ViaSync && project is not null)
            {
                var user = SyncIdentity(project, catalog.Platform.Server, operation.Namespace ?? who.Namespace, syncImpersonation);
                paths.Add((user is null ? "through an Argo CD sync" : $"through an Argo CD sync as {user}", user, project));
            }

            paths.Add(($"from a pod as system:serviceaccount:{who.Namespace}:default", Subject.ServiceAccount(who.Namespace, "default"), null));
        }

        var refused = new List<Layer>();
        var open = new List<(string, Layer, string)>();
        var allowed = false;
        foreach (var (path, user, project) in paths)
        {
            var pathAllowed = true;
            if (project is not null)
            {
                var kindOk = project.KindPermitted(operation.Group, operation.Kind, operation.ClusterScoped);
                var destinationOk = operation.ClusterScoped || project.DestinationPermitted(catalog.Platform.Server, null, operation.Namespace);
                Record(Layer.Project, kindOk && destinationOk, $"AppProject {project.Name} permits {operation.Group}:{operation.Kind}{(operation.ClusterScoped ? string.Empty : $" in {operation.Namespace}")}");
                if (user is null)
                {
                    // Impersonation on and no account for the destination: Argo CD fails the sync before any request.
                    continue;
                }
            }

            var request = new RbacRequest(operation.Verb, operation.Group, operation.Resource, operation.Resource == "namespaces" ? operation.Name : operation.Namespace, operation.Name);
            var rbacOk = rbac.Allows(user!, request, operation.RoleRef, operation.RoleRules);
            Record(Layer.Rbac, rbacOk, $"{user} may {operation.Verb} {(operation.Group.Length > 0 ? operation.Group + "/" : string.Empty)}{operation.Resource}{(rbacOk ? $", by {rbac.GrantedBy(user!, request)}" : string.Empty)}");

            if (operation.AdmissionOperation is { } admissionOperation)
            {
                var ns = operation.Resource == "namespaces" ? null : operation.Namespace;
                var denials = admission.Denials(new AdmissionRequest(admissionOperation, operation.Group, operation.Resource, ns, operation.Name,
                    operation.Object, operation.OldObject, operation.CreatedBy ?? user!, ns is null ? null : namespaces.GetValueOrDefault(ns)));
                // A refusal that only an evaluation error produced proves nothing: the API server's CEL may not fail there.
                var proven = denials.Where(d => !d.Error).ToList();
                Record(Layer.Admission, proven.Count == 0, denials.Count > 0 ? $"refused only by an evaluation error: {denials[0]}"
                    : admission.Policies == 0 ? "no admission policy is rendered"
                    : $"no admission policy refuses {admissionOperation} {operation.Resource}{(admission.Matching(operation.Group, operation.Resource, admissionOperation) is { Count: > 0 } some ? $" ({string.Join(", ", some)} admitted it)" : " (none matches it)")}");
                if (proven.Count == 0 && denials.Count > 0)
                {
                    pathAllowed = false;
                }
            }

            allowed |= pathAllowed;

            void Record(Layer layer, bool ok, string why)
            {
                if (ok)
                {
                    open.Add((path, layer, why));
                }
                else
                {
                    pathAllowed = false;
                    if (!refused.Contains(layer))
                    {
                        refused.Add(layer);
                    }
                }
            }
        }

        return (allowed, refused, open);
    }

    /// <summary>
    /// Argo CD's sync identity for a destination: with impersonation on, the project's
    /// destinationServiceAccount (null when none matches: Argo CD then fails the sync);
    /// with it off, the controller and its cluster-wide rights.
    /// </summary>
    public static Subject? SyncIdentity(ProjectRules project, string server, string ns, bool impersonation)
    {
        if (!impersonation)
        {
            return Subject.ServiceAccount("argocd", "argocd-application-controller");
        }

        if (project.ServiceAccountFor(server, ns) is not { } account)
        {
            return null;
        }

        var colon = account.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? Subject.ServiceAccount(account[..colon], account[(colon + 1)..]) : Subject.ServiceAccount(ns, account);
    }

    private static AccessCell Cell(string ns, Actor actor, string column, List<(AccessProbe Probe, bool Allowed, List<Layer> Refused)> results)
    {
        var allowed = results.Where(r => r.Allowed).ToList();
        if (allowed.Count > 0)
        {
            var denied = results.Where(r => !r.Allowed).ToList();
            var what = denied.Count == 0 ? "yes"
                : allowed.Count >= denied.Count ? $"yes, not: {string.Join("; ", denied.Select(d => d.Probe.What))}"
                : $"yes: {string.Join("; ", allowed.Select(a => a.Probe.What))}";
            return new AccessCell(ns, actor, column, true, what);
        }

        var layers = results.SelectMany(r => r.Refused).Distinct().Order().Select(Name);
        return new AccessCell(ns, actor, column, false, $"no ({string.Join(", ", layers)})");
    }

    private static string Name(Layer layer) => layer switch
    {
        Layer.Project => "project",
        Layer.Rbac => "RBAC",
        _ => "admission",
    };
}
