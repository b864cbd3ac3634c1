using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;
using Platform.Build.Frosting;

namespace Platform.Build.Tests.Frosting;

/// <summary>
/// The layer is Cake.Frosting's public API and nothing more, and the
/// platform's build uses nothing else of it: so swapping the layer for the
/// Cake.Frosting package is a package reference and a namespace change.
/// <see cref="CakeFrosting"/> is Cake.Frosting's public surface as read from
/// its source and documentation (docs/frosting-reference.md); it is written
/// out here, not taken from the layer, so a member the layer adds fails.
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly string[] Handlers = ["Run", "RunAsync", "ShouldRun", "OnError", "Finally", "get_SkippedMessage"];
    private static readonly string[] Registrations =
    [
        "UseContext", "UseLifetime", "UseSetup", "UseTeardown", "UseTaskLifetime", "UseTaskSetup", "UseTaskTeardown",
        "UseModule", "UsePackageInstaller", "UseTool", "InstallTool", "SetToolPath", "UseCakeSetting", "UseWorkingDirectory",
    ];

    /// <summary>Cake.Frosting's public types and their public members (declared, public or protected; constructors as .ctor).</summary>
    public static readonly Dictionary<string, string[]> CakeFrosting = new()
    {
        ["CakeHost"] = [".ctor", "Create", "AddAssembly", "ConfigureServices", "Run"],
        ["CakeHostExtensions"] = [.. Registrations, "UseStartup"],
        ["ServiceCollectionExtensions"] = Registrations,
        ["IFrostingStartup"] = ["Configure"],
        ["IFrostingContext"] = [],
        ["FrostingContext"] = [".ctor"],
        ["IFrostingTask"] = ["RunAsync", "ShouldRun", "OnError", "Finally", "get_SkippedMessage"],
        ["FrostingTask`1"] = [".ctor", .. Handlers.Where(h => h != "RunAsync")],
        ["FrostingTask"] = [".ctor"],
        ["AsyncFrostingTask`1"] = [".ctor", .. Handlers.Where(h => h != "Run")],
        ["AsyncFrostingTask"] = [".ctor"],
        ["IFrostingSetup"] = ["Setup"],
        ["IFrostingTeardown"] = ["Teardown"],
        ["IFrostingLifetime"] = [],
        ["IFrostingTaskSetup"] = ["Setup"],
        ["IFrostingTaskTeardown"] = ["Teardown"],
        ["IFrostingTaskLifetime"] = [],
        ["FrostingLifetime`1"] = [".ctor", "Setup", "Teardown"],
        ["FrostingLifetime"] = [".ctor"],
        ["FrostingTaskLifetime`1"] = [".ctor", "Setup", "Teardown"],
        ["FrostingTaskLifetime"] = [".ctor"],
        ["FrostingSetup`1"] = [".ctor", "Setup"],
        ["FrostingSetup"] = [".ctor"],
        ["FrostingTeardown`1"] = [".ctor", "Teardown"],
        ["FrostingTeardown"] = [".ctor"],
        ["FrostingTaskSetup`1"] = [".ctor", "Setup"],
        ["FrostingTaskSetup"] = [".ctor"],
        ["FrostingTaskTeardown`1"] = [".ctor", "Teardown"],
        ["FrostingTaskTeardown"] = [".ctor"],
        ["IToolInstaller"] = ["Install"],
        ["FrostingException"] = [".ctor"],
        ["TaskNameAttribute"] = [".ctor", "get_Name"],
        ["TaskDescriptionAttribute"] = [".ctor", "get_Description"],
        ["IsDependentOnAttribute"] = [".ctor", "get_Task"],
        ["IsDependeeOfAttribute"] = [".ctor", "get_Task"],
        ["ContinueOnErrorAttribute"] = [".ctor"],
    };

    /// <summary>What a build must override (abstract) and may override (virtual) in Cake.Frosting's base classes.</summary>
    public static readonly Dictionary<string, (string[] Abstract, string[] Virtual)> Overridable = new()
    {
        ["FrostingTask`1"] = ([], [.. Handlers.Where(h => h != "RunAsync")]),
        ["AsyncFrostingTask`1"] = ([], [.. Handlers.Where(h => h != "Run")]),
        ["FrostingLifetime`1"] = (["Setup", "Teardown"], []),
        ["FrostingTaskLifetime`1"] = ([], ["Setup", "Teardown"]),
        ["FrostingSetup`1"] = (["Setup"], []),
        ["FrostingTeardown`1"] = (["Teardown"], []),
        ["FrostingTaskSetup`1"] = (["Setup"], []),
        ["FrostingTaskTeardown`1"] = (["Teardown"], []),
    };

    private static readonly Assembly Layer = typeof(CakeHost).Assembly;

    [Fact]
    public void What_a_build_must_and_may_override_is_as_in_Cake_Frosting()
    {
        foreach (var type in Layer.GetExportedTypes().Where(t => t.IsClass))
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            var (must, may) = Overridable.GetValueOrDefault(type.Name, ([], []));
            Assert.True(must.Order().SequenceEqual(methods.Where(m => m.IsAbstract).Select(m => m.Name).Distinct().Order()), $"{type.Name}: abstract members differ from Cake.Frosting's [{string.Join(", ", must)}]");
            Assert.True(may.Order().SequenceEqual(methods.Where(m => m.IsVirtual && !m.IsAbstract && !m.IsFinal).Select(m => m.Name).Distinct().Order()), $"{type.Name}: virtual members differ from Cake.Frosting's [{string.Join(", ", may)}]");
        }
    }

    [Fact]
    public void The_layer_has_every_public_type_and_member_of_Cake_Frosting_and_no_other()
    {
        var layer = Layer.GetExportedTypes().ToDictionary(t => t.Name, Members);

        Assert.Equal(CakeFrosting.Keys.Order(), layer.Keys.Order());
        foreach (var (type, members) in CakeFrosting)
        {
            Assert.True(members.Order().SequenceEqual(layer[type].Order()),
                $"{type}: Cake.Frosting has [{string.Join(", ", members.Order())}], the layer [{string.Join(", ", layer[type].Order())}]");
        }
    }

    [Fact]
    public void Only_the_tests_see_the_layers_internals()
    {
        var friends = Layer.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName);

        Assert.Equal(["Build.Tests"], friends);
    }

    [Fact]
    public void The_platforms_build_references_only_Cake_Frosting_members_of_the_layer()
    {
        var used = References(typeof(Platform.Build.Core.Context.BuildContext).Assembly.Location, Layer.GetName().Name!);

        Assert.NotEmpty(used);
        var unknown = used.Where(u => !CakeFrosting.TryGetValue(u.Type, out var members) || (u.Member is { } m && !members.Contains(m))).ToList();
        Assert.True(unknown.Count == 0, "not in Cake.Frosting: " + string.Join(", ", unknown.Select(u => $"{u.Type}.{u.Member}")));
    }

    [Fact]
    public void The_reference_scan_finds_a_member_Cake_Frosting_lacks()
    {
        // The scan above is only as good as what it sees: this test assembly
        // uses the layer's internal parser, which the scan must report.
        var used = References(typeof(PublicSurfaceTests).Assembly.Location, Layer.GetName().Name!);

        Assert.Contains(used, u => u.Type == "HostOptions" && u.Member == "Parse");
        Assert.Contains(used, u => u.Type == "CakeHost" && u.Member == "Run");
    }

    /// <summary>The public and protected methods, accessors and constructors a type declares.</summary>
    private static string[] Members(Type type) =>
        [.. type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .OfType<MethodBase>()
            .Where(m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly)
            .Select(m => m.Name)
            .Distinct()];

    /// <summary>Every type and member of <paramref name="assemblyName"/> that the assembly at <paramref name="path"/> refers to, from its metadata.</summary>
    private static List<(string Type, string? Member)> References(string path, string assemblyName)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        bool FromLayer(TypeReferenceHandle handle)
        {
            var scope = md.GetTypeReference(handle).ResolutionScope;
            return scope.Kind switch
            {
                HandleKind.AssemblyReference => md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) == assemblyName,
                HandleKind.TypeReference => FromLayer((TypeReferenceHandle)scope),
                _ => false,
            };
        }

        var found = new List<(string, string?)>();
        foreach (var handle in md.TypeReferences.Where(FromLayer))
        {
            found.Add((md.GetString(md.GetTypeReference(handle).Name), null));
        }

        foreach (var member in md.MemberReferences.Select(md.GetMemberReference))
        {
            var parent = member.Parent;
            if (parent.Kind == HandleKind.TypeSpecification)
            {
                // A generic instance (FrostingTask<BuildContext>): its definition is the first type in the blob.
                var blob = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
                if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
                {
                    blob.ReadSignatureTypeCode();
                    parent = blob.ReadTypeHandle();
                }
            }

            if (parent.Kind == HandleKind.TypeReference && FromLayer((TypeReferenceHandle)parent))
            {
                found.Add((md.GetString(md.GetTypeReference((TypeReferenceHandle)parent).Name), md.GetString(member.Name)));
            }
        }

        return found;
    }
}
