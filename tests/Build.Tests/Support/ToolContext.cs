using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Path = System.IO.Path;

namespace Platform.Build.Tests.Support;

/// <summary>A recorded process start: what the wrapper asked Cake to run.</summary>
public sealed record Started(string Tool, string Arguments, string SafeArguments, IReadOnlyDictionary<string, string> Environment, string? WorkingDirectory);

/// <summary>
/// Records process starts instead of running them; answers with canned output
/// and exit code, or with a scripted response for arguments that match.
/// </summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    private readonly List<(Func<string, bool> Match, int Exit, string[] Output, Action<Started>? Effect)> _script = [];

    public List<Started> Starts { get; } = [];
    public int ExitCode { get; set; }
    public List<string> Output { get; } = [];

    /// <summary>Arguments starting with <paramref name="prefix"/> get this answer (first match wins).</summary>
    public FakeProcessRunner On(string prefix, int exit, IEnumerable<string> output, Action<Started>? effect = null)
    {
        _script.Add((a => a.StartsWith(prefix, StringComparison.Ordinal), exit, [.. output], effect));
        return this;
    }

    /// <summary>Like <see cref="On"/>, but ahead of every answer added before (a test changing what a tool says from now on).</summary>
    public FakeProcessRunner Instead(string prefix, int exit, IEnumerable<string> output, Action<Started>? effect = null)
    {
        _script.Insert(0, (a => a.StartsWith(prefix, StringComparison.Ordinal), exit, [.. output], effect));
        return this;
    }

    /// <summary>Arguments containing <paramref name="part"/> get this answer (first match wins, in the order the answers were added).</summary>
    public FakeProcessRunner OnContaining(string part, int exit, IEnumerable<string> output, Action<Started>? effect = null)
    {
        _script.Add((a => a.Contains(part, StringComparison.Ordinal), exit, [.. output], effect));
        return this;
    }

    public IProcess Start(FilePath filePath, ProcessSettings settings)
    {
        var started = new Started(
            filePath.GetFilename().FullPath,
            settings.Arguments.Render(),
            settings.Arguments.RenderSafe(),
            new Dictionary<string, string>(settings.EnvironmentVariables ?? new Dictionary<string, string>()),
            settings.WorkingDirectory?.FullPath);
        lock (Starts)
        {
            Starts.Add(started);
        }

        var scripted = _script.FirstOrDefault(s => s.Match(started.Arguments));
        scripted.Effect?.Invoke(started);
        foreach (var line in scripted.Match is null ? Output : [.. scripted.Output])
        {
            settings.RedirectedStandardOutputHandler?.Invoke(line);
        }

        return new FakeProcess(scripted.Match is null ? ExitCode : scripted.Exit);
    }

    private sealed class FakeProcess(int exitCode) : IProcess
    {
        public void Dispose()
        {
        }

        public void WaitForExit()
        {
        }

        public bool WaitForExit(int milliseconds) => true;

        public int GetExitCode() => exitCode;

        public IEnumerable<string> GetStandardError() => [];

        public IEnumerable<string> GetStandardOutput() => [];

        public void Kill()
        {
        }
    }
}

/// <summary>A log that keeps every line (all verbosities) for assertions.</summary>
public sealed class RecordingLog(Verbosity verbosity = Verbosity.Diagnostic) : ICakeLog
{
    public List<string> Lines { get; } = [];

    public Verbosity Verbosity { get; set; } = verbosity;

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (verbosity <= Verbosity)
        {
            Lines.Add(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
        }
    }

    public string Text => string.Join('\n', Lines);
}

/// <summary>A real Cake context whose tools are found in a folder of the test's choosing.</summary>
public static class ToolContext
{
    /// <summary>A context whose process runner is <paramref name="runner"/>, or Cake's real one when null.</summary>
    public static ICakeContext Create(IProcessRunner? runner, RecordingLog log, string? toolFolder = null)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var fileSystem = new FileSystem();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var locator = new FolderToolLocator(toolFolder ?? FakeTools.Folder);
        return new CakeContext(
            fileSystem, environment, globber, log,
            new CakeArguments(Array.Empty<(string, string)>().ToLookup(p => p.Item1, p => p.Item2)),
            runner ?? new ProcessRunner(fileSystem, environment, log, locator, configuration),
            new WindowsRegistry(), locator, new CakeDataService(), configuration,
            new ToolInstaller(environment, locator, configuration, log, []),
            new EmptyServices());
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    /// <summary>Resolves a tool name to an existing file in one folder (so nothing on PATH is used).</summary>
    private sealed class FolderToolLocator(string folder) : IToolLocator
    {
        public void RegisterFile(FilePath path)
        {
        }

        public FilePath? Resolve(string tool) => File.Exists(Path.Combine(folder, tool)) ? new FilePath(Path.Combine(folder, tool)) : null;

        public FilePath? Resolve(IEnumerable<string> toolExeNames) => toolExeNames.Select(Resolve).FirstOrDefault(p => p is not null);
    }
}

/// <summary>A folder with an empty executable file per tool name, so Cake resolves them; the fake runner never runs them.</summary>
public static class FakeTools
{
    public static string Folder { get; } = Create();

    private static string Create()
    {
        var folder = Directory.CreateTempSubdirectory("platform-fake-tools-").FullName;
        foreach (var tool in new[] { "terraform", "kubectl", "helm", "docker", "ansible-playbook", "ansible-lint", "ansible-inventory", "ansible-galaxy", "argocd" })
        {
            var path = Path.Combine(folder, tool);
            File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return folder;
    }
}
