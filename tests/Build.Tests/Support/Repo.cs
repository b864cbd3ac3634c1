namespace Platform.Build.Tests.Support;

/// <summary>The repository under test, and throwaway copies of parts of it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The files git tracks (so work in progress does not change what is tested); every file when git is not there.</summary>
    public static IEnumerable<string> TrackedFiles()
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git", "ls-files -z") { RedirectStandardOutput = true, WorkingDirectory = Root };
            using var git = System.Diagnostics.Process.Start(start)!;
            var listed = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return listed.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => File.Exists(Path(f)));
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no git: fall through
        }

        return Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is ".git" or ".terraform" or "bin" or "obj" or "artifacts"));
    }

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Platform.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Platform.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary repository: the spec and README, plus whatever a test writes. Deleted on dispose.</summary>
public sealed class TempRepo : IDisposable
{
    public TempRepo(bool withSpec = true)
    {
        Root = Directory.CreateTempSubdirectory("platform-test-").FullName;
        if (withSpec)
        {
            Copy("specs/platform/tasks.md");
        }

        Write("README.md", "# test\n\n<!-- task-graph:begin (written by ./build.sh --target=Graph) -->\n<!-- task-graph:end -->\n");
    }

    public string Root { get; }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var path = Path(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Breaks a copied file the way a user would: the text must be there, and is replaced.</summary>
    public void Edit(string relative, string find, string replace)
    {
        var text = Read(relative);
        Xunit.Assert.Contains(find, text);
        Write(relative, text.Replace(find, replace, StringComparison.Ordinal));
    }

    public void Copy(string relative) => Write(relative, File.ReadAllText(Repo.Path(relative)));

    /// <summary>A copy of the tracked files under these folders (or files) of the repository, modes kept.</summary>
    public static TempRepo WithTracked(params string[] roots)
    {
        var repo = new TempRepo(withSpec: false);
        foreach (var file in Repo.TrackedFiles().Where(f => roots.Any(r => f == r || f.StartsWith(r + "/", StringComparison.Ordinal))))
        {
            var target = repo.Path(file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(Repo.Path(file), target, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(Repo.Path(file)));
            }
        }

        return repo;
    }

    public string Read(string relative) => File.ReadAllText(Path(relative));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }
    }
}

/// <summary>Sets environment variables for a test and puts the old values back.</summary>
public sealed class EnvironmentScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = [];

    public EnvironmentScope Set(string name, string? value)
    {
        if (!_saved.ContainsKey(name))
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    /// <summary>Hides any AWS credentials of the machine running the tests.</summary>
    public static EnvironmentScope WithoutAws() => new EnvironmentScope()
        .Set("AWS_ACCESS_KEY_ID", null).Set("AWS_SECRET_ACCESS_KEY", null).Set("AWS_PROFILE", null)
        .Set("AWS_WEB_IDENTITY_TOKEN_FILE", null).Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", null)
        .Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", null).Set("HOME", System.IO.Path.GetTempPath());

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
