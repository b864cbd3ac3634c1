using Cake.Core.Packaging;

namespace Platform.Build.Frosting;

/// <summary>Installs a tool the build registered with <c>InstallTool</c> (Cake.Frosting's interface).</summary>
public interface IToolInstaller
{
    void Install(PackageReference tool);
}

/// <summary>
/// Cake's own tool installer (Cake.Core's ToolInstaller: the first package
/// installer that takes the URI's scheme, into the configured tools path,
/// files registered with the tool locator), with Frosting's two errors.
/// </summary>
internal sealed class FrostingToolInstaller(Cake.Core.Tooling.IToolInstaller cake, IEnumerable<IPackageInstaller> installers) : IToolInstaller
{
    public void Install(PackageReference tool)
    {
        if (!installers.Any(i => i.CanInstall(tool, PackageType.Tool)))
        {
            throw new FrostingException($"Could not find an installer for the '{tool.Scheme}' scheme.");
        }

        try
        {
            cake.Install(tool);
        }
        catch (Exception e) when (e is not FrostingException)
        {
            throw new FrostingException($"Failed to install tool '{tool.Package}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
