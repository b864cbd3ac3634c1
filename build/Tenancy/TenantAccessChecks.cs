using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Yaml;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy.Access;
using Platform.Build.Tenancy.Projects;

namespace Platform.Build.Tenancy;

/// <summary>
/// Offline checks of what tenants may do to the platform (Tasks 3.3 and 4.1):
/// the deployer Argo CD syncs as holds only the tenant kinds, the admission
/// policies compile and bind, and the "who can change what" table computed
/// from all of it has "no" wherever it must.
/// </summary>
public static class TenantAccessChecks
{
    public const string AccessExhibit = "Who can change what (computed from the AppProjects, RBAC and admission policies)";

    /// <summary>Past this many namespaces per cluster the report shows the first ones and the CSV the rest.</summary>
    public const int TableNamespaces = 12;

    /// <summary>Verbs no tenant role may hold (bind only as the grant of RoleBinding allows, checked apart).</summary>
    private static readonly string[] ForbiddenVerbs = ["escalate", "bind", "impersonate", "*"];

    /// <summary>
    /// "Tenant syncs run as the tenant": Argo CD has sync impersonation on, every
    /// tenant destination maps to its namespace's deployer, and the deployer's
    /// ClusterRole holds the tenant kinds only - no escalate, bind or impersonate, no
    /// RBAC, Secrets, namespaces or guardrails. Granted kinds live in their own role.
    /// </summary>
    public static Outcome DeployerLeastPrivilege(BuildContext context) => TenantFiles.WithCatalog(context.Paths, catalog =>
    {
        var guardrails = context.Renders.Render(TenantLayout.Guardrails);
        if (!guardrails.Succeeded)
        {
            return guardrails.Failure;
        }

        var findings = new List<string>();
        var roles = guardrails.Objects<V1ClusterRole>().ToDictionary(r => r.Metadata.Name);
        if (!roles.TryGetValue(TenantLayout.DeployerRole, out var deployer))
        {
            findings.Add($"{TenantLayout.Guardrails}: no ClusterRole {TenantLayout.DeployerRole}");
        }
        else
        {
            var allowed = TenantLayout.Whitelist.Select(k => (k.Group, k.Resource)).ToHashSet();
            findings.AddRange(RuleFindings(deployer, allowed, bindable: []));
        }

        foreach (var org in catalog.Organizations.Where(o => o.Grants.Count > 0))
        {
            if (!roles.TryGetValue(TenantLayout.GrantsRole(org), out var granted))
            {
                findings.Add($"{TenantLayout.Guardrails}: no ClusterRole {TenantLayout.GrantsRole(org)} for {org.Name}'s grants");
                continue;
            }

            var allowed = org.Grants.Select(g => (g.Group, g.Resource)).ToHashSet();
            findings.AddRange(RuleFindings(granted, allowed, catalog.Platform.BindableClusterRoles));
        }

        foreach (var cluster in context.Clusters)
        {
            try
            {
                if (!ArgoCdInstall.Load(context.Paths.Root, cluster).SyncImpersonation)
                {
                    findings.Add($"{cluster}: kubernetes/argocd/install: configs.cm.\"{ArgoCdInstall.ImpersonationKey}\" is not \"true\": tenant syncs would run with the controller's cluster-wide rights");
                }
            }
            catch (DataFileException e)
            {
                findings.Add(e.Message);
            }
        }

        return Outcome.FromFindings(findings,
            $"{TenantLayout.DeployerRole} holds {TenantLayout.Whitelist.Count} tenant kinds and nothing else (no escalate, bind, impersonate, RBAC, Secrets, namespaces or guardrails); sync impersonation on for {string.Join(", ", context.Clusters)}; {catalog.Organizations.Count(o => o.Grants.Count > 0)} organizations with grants");
    });

    /// <summary>A rule of a tenant role that reaches beyond what it is for.</summary>
    private static IEnumerable<string> RuleFindings(V1ClusterRole role, HashSet<(string Group, string Resource)> allowed, IReadOnlyList<string> bindable)
    {
        var name = $"ClusterRole {role.Metadata.Name}";
        if (role.AggregationRule is not null)
        {
            yield return $"{name}: has an aggregationRule, so any ClusterRole with its labels adds rights to it";
        }

        foreach (var rule in role.Rules ?? [])
        {
            var groups = rule.ApiGroups ?? [string.Empty];
            foreach (var resource in rule.Resources ?? [])
            {
                foreach (var group in groups)
                {
                    // Granted RoleBindings need `bind` on the bindable roles (and the namespace's Roles): nothing wider.
                    var bindRule = (rule.Verbs ?? []).SequenceEqual(["bind"]) && group == "rbac.authorization.k8s.io"
                        && ((resource == "clusterroles" && rule.ResourceNames is { Count: > 0 } names && names.All(bindable.Contains)) || resource == "roles")
                        && allowed.Contains(("rbac.authorization.k8s.io", "rolebindings"));
                    if (bindRule)
                    {
                        continue;
                    }

                    if (!allowed.Contains((group, resource)))
                    {
                        yield return $"{name}: grants {string.Join(",", rule.Verbs ?? [])} on {(group.Length > 0 ? group + "/" : string.Empty)}{resource}, which tenants may not touch";
                    }

                    foreach (var verb in (rule.Verbs ?? []).Where(ForbiddenVerbs.Contains))
                    {
                        yield return $"{name}: grants '{verb}' on {resource}: that escalates past the role itself";
                    }
                }
            }

            if (rule.NonResourceURLs is { Count: > 0 })
            {
                yield return $"{name}: grants non-resource URLs ({string.Join(", ", rule.NonResourceURLs)})";
            }
        }
    }

    /// <summary>
    /// The admission policies compile (CEL), fail closed, deny, and each binding selects
    /// tenant namespaces by the organization label; a binding without its policy (or the
    /// reverse) guards nothing.
    /// </summary>
    public static Outcome AdmissionPolicies(BuildContext context)
    {
        var render = context.Renders.Render(TenantLayout.Guardrails);
        if (!render.Succeeded)
        {
            return render.Failure;
        }

        var findings = new List<string>();
        var policies = render.Objects<V1ValidatingAdmissionPolicy>().ToList();
        var bindings = render.Objects<V1ValidatingAdmissionPolicyBinding>().ToList();
        findings.AddRange(GuardrailRenderer.Policies.Where(w => policies.All(p => p.Metadata.Name != w)).Select(w => $"{TenantLayout.Guardrails}: no ValidatingAdmissionPolicy {w}"));
        foreach (var policy in policies)
        {
            var name = policy.Metadata.Name;
            if (policy.Spec.FailurePolicy != "Fail")
            {
                findings.Add($"{name}: failurePolicy must be Fail (a policy that cannot be evaluated must refuse)");
            }

            var expressions = (policy.Spec.MatchConditions ?? []).Select(c => c.Expression)
                .Concat((policy.Spec.Variables ?? []).Select(v => v.Expression))
                .Concat((policy.Spec.Validations ?? []).Select(v => v.Expression));
            findings.AddRange(expressions.Select(e => (Expression: e, Error: AdmissionModel.CompileError(e))).Where(e => e.Error is not null)
                .Select(e => $"{name}: CEL does not compile ({e.Error}): {e.Expression.ReplaceLineEndings(" ")}"));

            var bound = bindings.Where(b => b.Spec.PolicyName == name).ToList();
            if (bound.Count == 0)
            {
                findings.Add($"{name}: no ValidatingAdmissionPolicyBinding: the policy guards nothing");
            }

            foreach (var binding in bound.Where(b => b.Spec.ValidationActions?.Contains("Deny") != true))
            {
                findings.Add($"{binding.Metadata.Name}: validationActions must include Deny (Warn or Audit only reports)");
            }

            var selector = bound.FirstOrDefault()?.Spec.MatchResources?.NamespaceSelector;
            if (name != GuardrailRenderer.NamespaceLabelsPolicy && selector is not null
                && selector.MatchExpressions?.Any(e => e.Key == "organization" && e.OperatorProperty == "Exists") != true)
            {
                findings.Add($"{name}: its binding must select namespaces with the organization label (every tenant namespace)");
            }
        }

        findings.AddRange(bindings.Where(b => policies.All(p => p.Metadata.Name != b.Spec.PolicyName))
            .Select(b => $"{b.Metadata.Name}: binds policy {b.Spec.PolicyName}, which is not rendered"));
        return Outcome.FromFindings(findings,
            $"{policies.Count} admission policies compile, fail closed and deny, bound to every tenant namespace: namespace labels, guardrails, RoleBindings and tokens, hosts and annotations, Services and disruption budgets, secret stores");
    }

    /// <summary>
    /// "Who can change what": for every tenant namespace of each cluster, what its
    /// tenant, another tenant and the platform can do, computed from the AppProjects,
    /// RBAC and the admission policies; every "no" that must hold is checked on each
    /// layer that guards it. The table goes into the report.
    /// </summary>
    public static Outcome WhoCanChangeWhat(BuildContext context) => TenancyChecks.ForEachCluster(context, TenantLayout.Projects, (scope, projects) =>
    {
        var cluster = scope.Cluster;
        var namespaces = context.Renders.Render(TenantLayout.Namespaces(cluster));
        var guardrails = context.Renders.Render(TenantLayout.Guardrails);
        if (!namespaces.Succeeded || !guardrails.Succeeded)
        {
            return ([$"{cluster}: {namespaces.Error ?? guardrails.Error}"], string.Empty);
        }

        bool impersonation;
        try
        {
            impersonation = ArgoCdInstall.Load(context.Paths.Root, cluster).SyncImpersonation;
        }
        catch (DataFileException e)
        {
            return ([e.Message], string.Empty);
        }

        var rules = projects.Objects<AppProject>().ToDictionary(p => p.Metadata.Name, p => new ProjectRules(p));
        var objects = namespaces.Manifests.Concat(guardrails.Manifests).Select(m => (object)m.Object).ToList();
        var report = AccessMatrix.Evaluate(cluster, scope.All, rules, objects, impersonation);
        var csv = context.Paths.Combine($"artifacts/reports/access-matrix-{cluster}.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(csv)!);
        Tools.SafeFile.Replace(csv, report.Csv());
        context.Ledger.AddExhibit(new Exhibit($"{AccessExhibit}, {cluster} cluster",
            $"What each identity can do in the tenant namespaces placed on the {cluster} cluster ({report.Probes} probes). \"no\" names the layers that refuse: "
            + "the AppProject (what Argo CD syncs), RBAC (the tenant syncs as its namespace's platform-deployer; its pods as their ServiceAccounts), admission (the policies in kubernetes/guardrails).\n\n"
            + report.Table(TableNamespaces)));
        return ([.. report.Findings],
            $"{cluster}: {report.Probes} probes over {scope.View.TenantNamespaces.Count()} namespaces: tenants create workloads and serve their own hosts only; they, and other tenants, cannot change RBAC, guardrails or namespace labels, read Secrets or claim others' hosts - each refused by every guarding layer (table in the report)");
    });

    /// <summary>Every Ingress host the application renders is one its organization owns in the catalog (the admission policy's rule, offline).</summary>
    public static IEnumerable<string> HostFindings(TenantCatalog catalog, string ns, IEnumerable<Manifest> manifests)
    {
        var owner = catalog.OwnerOf(ns);
        foreach (var manifest in manifests.Where(m => m.Object is V1Ingress))
        {
            var ingress = (V1Ingress)manifest.Object;
            if (ingress.Spec.DefaultBackend is not null)
            {
                yield return $"{manifest}: sets a default backend, which catches every host";
            }

            var hosts = (ingress.Spec.Rules ?? []).Select(r => r.Host).Concat((ingress.Spec.Tls ?? []).SelectMany(t => t.Hosts ?? [null!]));
            foreach (var host in hosts)
            {
                if (string.IsNullOrEmpty(host))
                {
                    yield return $"{manifest}: a rule or TLS entry without a host serves every host: name one {owner?.Name ?? "its organization"} owns";
                }
                else if (owner is null || !owner.Hosts.Any(h => TenantHosts.Covers(h, host)))
                {
                    var other = TenantHosts.OwnerOf(catalog, host);
                    yield return $"{manifest}: host {host} is {(other is null ? "owned by nobody" : $"{other}'s")}, not {owner?.Name ?? "the namespace's organization"}'s: add it to its hosts in {TenantCatalog.RelativePath} or use one it owns";
                }
            }
        }
    }
}
