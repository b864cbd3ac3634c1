using Xunit;
using k8s.Models;
using Platform.Build.Kubernetes.Manifests;

namespace Platform.Build.Tests.Kubernetes;

/// <summary>Strict parsing: typos fail with their line, unknown kinds fail, custom resources are typed.</summary>
public sealed class ManifestParserTests
{
    private const string Project = """
        # a comment before the object
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: org-a
          namespace: argocd
        spec:
          sourceRepos:
            - https://github.com/org-a/*
          destinations:
            - server: https://kubernetes.default.svc
              namespace: org-a-dev
        """;

    [Fact]
    public void Objects_of_a_stream_are_typed_with_their_first_line()
    {
        var text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: org-a-dev\n---\n" + Project;

        var manifests = ManifestParser.Parse(text, "example.yaml");

        Assert.Equal(2, manifests.Count);
        Assert.IsType<V1Namespace>(manifests[0].Object);
        var project = Assert.IsType<AppProject>(manifests[1].Object);
        Assert.Equal(["https://github.com/org-a/*"], project.Spec.SourceRepos);
        Assert.Equal("org-a-dev", project.Spec.Destinations![0].Namespace);
        Assert.Equal(6, manifests[1].Line);
        Assert.Equal("argoproj.io", manifests[1].Group);
        Assert.Equal(string.Empty, manifests[0].Group);
        Assert.True(manifests[0].IsClusterScoped);
        Assert.False(manifests[1].IsClusterScoped);
    }

    [Fact]
    public void A_misspelt_field_of_a_custom_resource_fails_with_its_line()
    {
        var text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n---\n" + Project.Replace("  sourceRepos:", "  sourceRepo:", StringComparison.Ordinal);
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("sourceRepo:", StringComparison.Ordinal)) + 1;

        var error = Assert.Throws<ManifestException>(() => ManifestParser.Parse(text, "projects/org-a.yaml"));

        Assert.StartsWith($"projects/org-a.yaml:{line}: ", error.Message);
        Assert.Contains("sourceRepo", error.Message);
    }

    [Fact]
    public void A_misspelt_field_of_a_built_in_kind_fails_with_its_line()
    {
        const string text = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: default-deny
            spec:
              podSelector: {}
              policyType: [Ingress]
            """;

        var error = Assert.Throws<ManifestException>(() => ManifestParser.Parse(text, "np.yaml"));

        Assert.StartsWith("np.yaml:7: ", error.Message);
        Assert.Contains("policyType", error.Message);
    }

    [Fact]
    public void An_unknown_kind_is_refused_with_the_fix()
    {
        const string text = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";

        var error = Assert.Throws<ManifestException>(() => ManifestParser.Parse(text, "w.yaml"));

        Assert.Equal("w.yaml:2: example.com/v1/Widget is not a known type: fix apiVersion/kind, or add a typed model to ManifestParser.CustomTypes", error.Message);
    }

    [Fact]
    public void An_object_without_a_name_is_refused()
    {
        var error = Assert.Throws<ManifestException>(() => ManifestParser.Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "cm.yaml"));

        Assert.Contains("ConfigMap has no metadata.name", error.Message);
    }

    [Fact]
    public void Kustomizations_and_values_files_are_not_manifests()
    {
        Assert.False(ManifestParser.LooksLikeManifest("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"));
        Assert.False(ManifestParser.LooksLikeManifest("global:\n  domain: x\n"));
        Assert.True(ManifestParser.LooksLikeManifest(Project));
    }

    /// <summary>A large aggregate (more resources than one chunk) renders every object once, as kubectl kustomize of the whole would.</summary>
    [Fact]
    public void A_large_aggregate_renders_in_chunks_to_the_same_objects_and_still_catches_duplicates()
    {
        using var repo = new Support.TempRepo();
        var count = ManifestRenders.ChunkSize * 2 + 3;
        var names = Enumerable.Range(0, count).Select(i => $"part-{i:D3}").ToList();
        foreach (var name in names)
        {
            repo.Write($"kubernetes/big/{name}/kustomization.yaml", $"namespace: ns-{name}\nresources:\n  - map.yaml\n");
            repo.Write($"kubernetes/big/{name}/map.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n");
        }

        repo.Write("kubernetes/big/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + string.Concat(names.Select(n => $"  - {n}\n")));

        var render = Support.PlatformContext.Create(repo.Root).Renders.Render("kubernetes/big");

        Assert.True(render.Succeeded, render.Error);
        Assert.Equal(names, render.Manifests.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(render.Manifests, m => Assert.Equal($"ns-{m.Name}", m.Namespace));
        Assert.False(File.Exists(repo.Path("kubernetes/big/000/kustomization.yaml")), "chunks are written under artifacts/, never into the source tree");

        // The first and the last part (in different chunks) now render the same object.
        repo.Write($"kubernetes/big/{names[^1]}/kustomization.yaml", $"namespace: ns-{names[0]}\nresources:\n  - map.yaml\n");
        repo.Write($"kubernetes/big/{names[^1]}/map.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {names[0]}\n");

        var twice = Support.PlatformContext.Create(repo.Root).Renders.Render("kubernetes/big");

        Assert.False(twice.Succeeded);
        Assert.Contains($"ConfigMap/{names[0]} in ns-{names[0]} is rendered twice", twice.Error);
    }
}
