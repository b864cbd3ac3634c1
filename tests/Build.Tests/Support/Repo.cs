namespace Platform.Build.Tests.Support;

/// <summary>The repository under test, and throwaway copies of parts of it.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

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

    public void Copy(string relative) => Write(relative, File.ReadAllText(Repo.Path(relative)));

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
