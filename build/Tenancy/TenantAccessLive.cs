using k8s;
using k8s.Models;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Kubernetes.Manifests;
using Platform.Build.Tenancy.Access;

namespace Platform.Build.Tenancy;

/// <summary>
/// The access table's RBAC rows asked of a real cluster: SubjectAccessReviews
/// as each tenant namespace's deployer (nothing is created or changed).
/// </summary>
public sealed class TenantAccessLive(BuildContext context)
{
    private readonly TenantLive tenants = new(context);

    private string Cluster => context.Options.EnvironmentName;

    /// <summary>
    /// "RBAC working correctly" (Checkpoint 3), in the cluster: for every tenant namespace
    /// on --env's cluster, a SubjectAccessReview as its deployer (the identity Argo CD syncs
    /// as) for each operation the access table says RBAC must refuse - binding roles,
    /// minting tokens, impersonating, touching guardrails, labels or Secrets - and for
    /// another organization's deployer creating a workload there; and, as the control, the
    /// deployer creating a Deployment, which must be allowed.
    /// </summary>
    public async Task<Outcome> DeployersRefused()
    {
        var catalog = tenants.Catalog();
        if (!catalog.TenantNamespaces.Any())
        {
            return Outcome.Skip($"no tenant namespace is placed on the {Cluster} cluster");
        }

        var namespaces = context.Renders.Render(TenantLayout.Namespaces(Cluster));
        var guardrails = context.Renders.Render(TenantLayout.Guardrails);
        if (!namespaces.Succeeded || !guardrails.Succeeded)
        {
            return namespaces.Succeeded ? guardrails.Failure : namespaces.Failure;
        }

        var objects = namespaces.Manifests.Concat(guardrails.Manifests).Select(m => (object)m.Object).ToList();
        var full = TenantCatalog.Load(context.Paths.Combine(TenantCatalog.RelativePath), TenantCatalog.RelativePath);
        var client = context.Cluster;
        var findings = new List<string>();
        var reviews = 0;
        foreach (var org in catalog.Organizations)
        {
            foreach (var ns in org.Namespaces)
            {
                var deployer = Subject.ServiceAccount(ns, TenantLayout.Deployer);
                var target = new ProbeTarget(ns, org, namespaces.Objects<V1Namespace>().FirstOrDefault(n => n.Metadata.Name == ns), objects, full);
                foreach (var probe in AccessProbes.List.Where(p => p.Guards.Contains(Layer.Rbac)))
                {
                    if (probe.Build(target, new ProbeActor(ns, org)) is not { } operation)
                    {
                        continue;
                    }

                    var granted = org.Grants.Any(g => g.Kind == operation.Kind);
                    var request = granted && operation.RoleRef is { } roleRef
                        ? new RbacRequest("bind", "rbac.authorization.k8s.io", roleRef.Kind == "ClusterRole" ? "clusterroles" : "roles", ns, roleRef.Name)
                        : new RbacRequest(operation.Verb, operation.Group, operation.Resource, operation.Resource == "namespaces" ? operation.Name : operation.Namespace, operation.Name);
                    var expected = probe.TenantMay || (granted && operation.RoleRef is null && operation.RoleRules is null);
                    reviews++;
                    if (await Allowed(client, deployer, request).ConfigureAwait(false) != expected)
                    {
                        findings.Add($"{ns}: {deployer} {(expected ? "is refused" : "is allowed")} to {probe.What} ({request.Verb} {request.Resource}): {(expected ? "the deployer's RoleBinding or ClusterRole is missing" : "the cluster grants more than kubernetes/guardrails declares")}");
                    }
                }

                foreach (var other in catalog.Organizations.Where(o => o != org).Take(1))
                {
                    var stranger = Subject.ServiceAccount(other.Namespaces.First(), TenantLayout.Deployer);
                    reviews++;
                    if (await Allowed(client, stranger, new RbacRequest("create", "apps", "deployments", ns, "probe")).ConfigureAwait(false))
                    {
                        findings.Add($"{ns}: {stranger} ({other.Name}) may create Deployments here: another tenant's deployer reaches this namespace");
                    }
                }
            }
        }

        return Outcome.FromFindings(findings, $"{reviews} SubjectAccessReviews on the {Cluster} cluster as each namespace's {TenantLayout.Deployer}: workloads allowed; RBAC, tokens, impersonation, guardrails, namespace labels and Secrets refused; no deployer reaches another organization's namespace");
    }

    /// <summary>What the API server's authorizer answers for this identity and request (a SubjectAccessReview; changes nothing).</summary>
    internal static async Task<bool> Allowed(IKubernetes client, Subject subject, RbacRequest request)
    {
        var slash = request.Resource.IndexOf('/', StringComparison.Ordinal);
        var review = new V1SubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SubjectAccessReview",
            Spec = new V1SubjectAccessReviewSpec
            {
                User = subject.User,
                Groups = [.. subject.Groups],
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = request.Verb,
                    Group = request.Group,
                    Resource = slash < 0 ? request.Resource : request.Resource[..slash],
                    Subresource = slash < 0 ? null : request.Resource[(slash + 1)..],
                    NamespaceProperty = request.Namespace,
                    Name = string.IsNullOrEmpty(request.Name) ? null : request.Name,
                },
            },
        };
        var answer = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(review).ConfigureAwait(false);
        return answer.Status?.Allowed == true;
    }
}
