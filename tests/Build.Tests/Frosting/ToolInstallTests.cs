using System.IO.Compression;
using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Path = System.IO.Path;
using Xunit;
using Platform.Build.Frosting;
using Platform.Build.Tests.Support;

namespace Platform.Build.Tests.Frosting;

/// <summary>
/// InstallTool goes through Cake's own NuGet installer: from a local folder
/// feed it installs into the tools path before any task runs, and the task
/// finds the tool; without the package (offline, say) the run fails in one
/// line naming the tool. Nothing here reaches the network: the only source is
/// a folder.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private static readonly List<string> Found = [];
    private readonly TempRepo _repo = new(withSpec: false);

    public void Dispose()
    {
        Found.Clear();
        _repo.Dispose();
    }

    public sealed class UsesTheTool : FrostingTask
    {
        public override void Run(ICakeContext context) =>
            Found.Add(context.Tools.Resolve("platform-hello.exe")?.FullPath ?? "not found");
    }

    [Fact]
    public void A_tool_from_a_local_feed_is_installed_before_the_tasks_and_found_by_them()
    {
        var feed = Feed("Platform.Hello", "1.2.3", ("tools/platform-hello.exe", "hello\n"));

        var result = BuildRun.Host(Host(feed).InstallTool(new Uri("nuget:?package=Platform.Hello&version=1.2.3")), "--target=UsesTheTool", $"--working={_repo.Root}");

        Assert.True(result.ExitCode == 0, result.ToString());
        var installed = Assert.Single(Found);
        Assert.StartsWith(Path.Combine(_repo.Root, "tools"), installed);
        Assert.EndsWith("platform-hello.exe", installed);
        Assert.Equal("hello\n", File.ReadAllText(installed));
    }

    [Fact]
    public void SetToolPath_chooses_where_tools_are_installed()
    {
        var feed = Feed("Platform.Hello", "1.2.3", ("tools/platform-hello.exe", "hello\n"));
        var tools = Path.Combine(_repo.Root, "elsewhere");

        var result = BuildRun.Host(
            Host(feed).SetToolPath(new DirectoryPath(tools)).InstallTool(new Uri("nuget:?package=Platform.Hello&version=1.2.3")),
            "--target=UsesTheTool", $"--working={_repo.Root}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(tools, Assert.Single(Found));
    }

    [Fact]
    public void A_package_the_feed_lacks_fails_the_run_in_one_line_before_any_task()
    {
        var feed = Feed("Platform.Hello", "1.2.3", ("tools/platform-hello.exe", "hello\n"));

        var result = BuildRun.Host(Host(feed).InstallTool(new Uri("nuget:?package=Platform.Missing&version=9.9.9")), "--target=UsesTheTool", $"--working={_repo.Root}");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(Found);
        var error = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        // Cake.NuGet's own message, passed on as Frosting passes it.
        Assert.StartsWith("Error: Unable to find package 'Platform.Missing'", error);
    }

    [Fact]
    public void A_scheme_no_installer_takes_is_named()
    {
        var result = BuildRun.Host(Host(Feed("Platform.Hello", "1.0.0")).InstallTool(new Uri("svn:?package=Anything")), "--target=UsesTheTool", $"--working={_repo.Root}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: Could not find an installer for the 'svn' scheme.", result.Output);
        Assert.Empty(Found);
    }

    /// <summary>A package installer of the build's own (UsePackageInstaller) takes its scheme.</summary>
    public sealed class EchoInstaller : IPackageInstaller
    {
        public bool CanInstall(PackageReference package, PackageType type) => package.Scheme == "echo";

        public IReadOnlyCollection<IFile> Install(PackageReference package, PackageType type, DirectoryPath path)
        {
            var file = path.CombineWithFilePath("platform-hello.exe");
            Directory.CreateDirectory(path.FullPath);
            File.WriteAllText(file.FullPath, package.Package);
            return [new FileSystem().GetFile(file)];
        }
    }

    [Fact]
    public void UsePackageInstaller_adds_an_installer_for_its_scheme()
    {
        var result = BuildRun.Host(
            new CakeHost().WithTasks(typeof(UsesTheTool)).UsePackageInstaller<EchoInstaller>().InstallTool(new Uri("echo:?package=from-echo")),
            "--target=UsesTheTool", $"--working={_repo.Root}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("from-echo", File.ReadAllText(Assert.Single(Found)));
    }

    /// <summary>A host whose NuGet knows the folder feed and no other source (so nothing reaches the network).</summary>
    private CakeHost Host(string feed)
    {
        var config = Path.Combine(_repo.Root, "nuget.config");
        File.WriteAllText(config, $"<?xml version=\"1.0\"?><configuration><packageSources><clear /><add key=\"feed\" value=\"{feed}\" /></packageSources></configuration>");
        return new CakeHost()
            .WithTasks(typeof(UsesTheTool))
            .UseCakeSetting("NuGet_ConfigFile", config)
            .UseCakeSetting("NuGet_Source", feed);
    }

    /// <summary>A folder feed with one package holding <paramref name="files"/>.</summary>
    private string Feed(string id, string version, params (string Path, string Text)[] files)
    {
        var feed = Path.Combine(_repo.Root, "feed");
        Directory.CreateDirectory(feed);
        using var zip = ZipFile.Open(Path.Combine(feed, $"{id.ToLowerInvariant()}.{version}.nupkg"), ZipArchiveMode.Create);
        Write(zip, $"{id}.nuspec",
            $"<?xml version=\"1.0\"?><package xmlns=\"http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd\"><metadata>"
            + $"<id>{id}</id><version>{version}</version><authors>platform</authors><description>a test tool</description></metadata></package>");
        foreach (var (path, text) in files)
        {
            Write(zip, path, text);
        }

        return feed;
    }

    private static void Write(ZipArchive zip, string path, string text)
    {
        using var writer = new StreamWriter(zip.CreateEntry(path).Open());
        writer.Write(text);
    }
}
