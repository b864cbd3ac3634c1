using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace Platform.Build.Frosting;

/// <summary>Installs a tool the build registered with <c>InstallTool</c> (Cake.Frosting's interface).</summary>
public interface IToolInstaller
{
    void Install(PackageReference tool);
}

/// <summary>
/// As Frosting installs tools: the first of the container's package
/// installers (Cake.NuGet's, the dotnet-tool one, the build's own) that takes
/// the URI's scheme installs into the tools path (Paths_Tools, SetToolPath;
/// ./tools under the working directory by default), and Cake's tool locator
/// learns the files. No installer, or nothing installed, fails the run.
/// </summary>
internal sealed class FrostingToolInstaller(
    ICakeEnvironment environment, ICakeConfiguration configuration, IToolLocator locator, IEnumerable<IPackageInstaller> installers) : IToolInstaller
{
    public void Install(PackageReference tool)
    {
        var installer = installers.FirstOrDefault(i => i.CanInstall(tool, PackageType.Tool))
            ?? throw new FrostingException($"Could not find an installer for the '{tool.Scheme}' scheme.");
        var root = configuration.GetToolPath(environment.WorkingDirectory, environment);
        // An installer's own exception goes through as it is (its message names the problem).
        var files = installer.Install(tool, PackageType.Tool, root);
        if (files.Count == 0)
        {
            throw new FrostingException($"Failed to install tool '{tool.Package}'.");
        }

        foreach (var file in files)
        {
            locator.RegisterFile(file.Path);
        }
    }
}
