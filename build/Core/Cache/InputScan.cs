using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Platform.Build.Core.Context;

namespace Platform.Build.Core.Cache;

/// <summary>
/// The run's view of every input a check can declare, read once per run and
/// shared by every key: each repository file's content hash, the tools'
/// fingerprints, the environment variables and options the build reads, the
/// build's own code. Component names are what a miss reason shows
/// ("file terraform/modules/vpc/main.tf", "tool terraform", "env TF_CLI_CONFIG_FILE").
/// </summary>
public sealed class InputScan(string root, IReadOnlyList<(string Name, string Value)> options, string mode, Func<string?> network)
{
    /// <summary>Folders that are the build's own output or tool caches, never inputs.</summary>
    private static readonly HashSet<string> NotSources = [".git", "artifacts", "bin", "obj", ".terraform", "node_modules", "TestResults"];

    /// <summary>Environment variables whose names start so are read by the build or its tools.</summary>
    private static readonly string[] EnvironmentPrefixes = ["TF_", "ANSIBLE_", "AWS_", "PLATFORM_", "KUBE", "DEBIAN_", "LC_", "SHELLCHECK_", "YAMLLINT_", "PYTHON", "CAKE_"];

    private static readonly string[] EnvironmentNames =
        ["PATH", "HOME", "USER", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LANG", "PYTHONPATH", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];

    /// <summary>The tools the checks start (beyond the ones Doctor checks), found on PATH.</summary>
    private static readonly string[] ToolNames =
        ["terraform", "kubectl", "kustomize", "ansible", "ansible-playbook", "ansible-lint", "ansible-inventory", "ansible-config", "ansible-galaxy",
         "yamllint", "shellcheck", "debootstrap", "systemd-nspawn", "promtool", "helm", "git", "python3", "bash", "etcd", "etcdctl"];

    /// <summary>Configuration the tools read from outside the repository when nothing overrides it.</summary>
    private static readonly string[] ToolConfigFiles =
        ["~/.terraformrc", "~/.ansible.cfg", "/etc/ansible/ansible.cfg", "~/.config/yamllint/config", "~/.shellcheckrc", "/var/lib/dpkg/status"];

    /// <summary>Where Ansible collections are installed (ansible.cfg's collections_path): each collection by its MANIFEST.json.</summary>
    private static readonly string[] CollectionFolders = ["~/.ansible/collections", "/usr/share/ansible/collections", "/usr/lib/python3/dist-packages/ansible_collections"];

    private readonly Lazy<IReadOnlyDictionary<string, string>> _files = new(() => ScanFiles(root));
    private readonly Lazy<IReadOnlyDictionary<string, string>> _global = new(() => ScanGlobal(options, mode));
    private readonly Lazy<string> _network = new(() => network() is { } why ? $"unreachable ({why})" : "reachable");
    private readonly ConcurrentDictionary<string, System.Text.RegularExpressions.Regex> _globs = new();

    /// <summary>The repository files matching <paramref name="globs"/>, by path, with their content hashes.</summary>
    public IEnumerable<KeyValuePair<string, string>> Files(IEnumerable<string> globs)
    {
        var patterns = globs.Select(g => _globs.GetOrAdd(g, Glob.ToRegex)).ToList();
        return _files.Value.Where(f => patterns.Any(p => p.IsMatch(f.Key)));
    }

    /// <summary>The components every key holds: build code, tools, environment, options, mode, user.</summary>
    public IReadOnlyDictionary<string, string> Global => _global.Value;

    public string Network => _network.Value;

    /// <summary>The key's components for a check with <paramref name="inputs"/> (plus files every check reads).</summary>
    public SortedDictionary<string, string> Components(CheckInputs inputs, IEnumerable<string> alwaysRead)
    {
        var components = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Global)
        {
            components[name] = value;
        }

        foreach (var (path, hash) in Files(inputs.Files.Concat(alwaysRead)))
        {
            components[$"file {path}"] = hash;
        }

        // An input that matches no file now must still miss when a file appears: the globs themselves are part of the key.
        components["globs"] = Hash(string.Join('\n', inputs.Files.Order(StringComparer.Ordinal)));
        if (inputs.Network)
        {
            components["network"] = Network;
        }

        if (inputs.Dated)
        {
            components["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        return components;
    }

    public static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32].ToLowerInvariant();

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream))[..32].ToLowerInvariant();
    }

    private static IReadOnlyDictionary<string, string> ScanFiles(string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is { } target)
                {
                    // A link is its target's name (never followed: it may point outside the repository).
                    files[Relative(root, entry.FullName)] = Hash($"link {target}");
                }
                else if (entry is DirectoryInfo directory)
                {
                    if (!NotSources.Contains(directory.Name))
                    {
                        pending.Push(directory.FullName);
                    }
                }
                else
                {
                    // The mode too: a script that loses its execute bit fails where its content did not change.
                    var mode = OperatingSystem.IsWindows() ? string.Empty : " " + Convert.ToString((int)File.GetUnixFileMode(entry.FullName), 8);
                    files[Relative(root, entry.FullName)] = HashFile(entry.FullName) + mode;
                }
            }
        }

        return files;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static IReadOnlyDictionary<string, string> ScanGlobal(IReadOnlyList<(string Name, string Value)> options, string mode)
    {
        var components = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["mode"] = mode,
            ["user"] = Environment.UserName + " " + (OperatingSystem.IsWindows() ? string.Empty : Environment.GetEnvironmentVariable("EUID") ?? UserId()),
        };

        // The build's own code: every assembly of the host, by name, size and write time (build.sh rewrites them on any change).
        foreach (var dll in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var info = new FileInfo(dll);
            components[$"build {info.Name}"] = $"{info.Length} {info.LastWriteTimeUtc.Ticks}";
        }

        foreach (var (name, value) in options)
        {
            // An option naming a folder (the provider mirror) is its listing too; a file, its content.
            components[$"option --{name}"] = Hash(value) + (Directory.Exists(value) ? " " + Listing(value) : File.Exists(value) ? " " + HashFile(value) : string.Empty);
        }

        foreach (var entry in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            var name = (string)entry.Key;
            if (EnvironmentNames.Contains(name, StringComparer.Ordinal) || EnvironmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                // Values are hashed, never stored (some are secrets); a value naming a file is that file's content too.
                var value = (string?)entry.Value ?? string.Empty;
                components[$"env {name}"] = Hash(value) + (value.Length < 4096 && File.Exists(value) ? " " + HashFile(value) : string.Empty);
            }
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var tool in ToolNames)
        {
            var found = path.Select(p => Path.Combine(p, tool)).FirstOrDefault(File.Exists);
            components[$"tool {tool}"] = found is null ? "absent" : Fingerprint(found) + Libraries(found, path);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (var file in ToolConfigFiles)
        {
            var full = file.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, file[2..]) : file;
            components[$"tool config {file}"] = File.Exists(full) ? Fingerprint(full) : "absent";
        }

        foreach (var folder in CollectionFolders)
        {
            var full = folder.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, folder[2..]) : folder;
            components[$"tool config {folder}"] = Directory.Exists(full) ? Manifests(full) : "absent";
        }

        return components;
    }

    /// <summary>The installed collections under a folder: each MANIFEST.json by size and write time.</summary>
    private static string Manifests(string folder)
    {
        var root = Directory.Exists(Path.Combine(folder, "ansible_collections")) ? Path.Combine(folder, "ansible_collections") : folder;
        var manifests = Directory.EnumerateDirectories(root).SelectMany(Directory.EnumerateDirectories)
            .Select(c => new FileInfo(Path.Combine(c, "MANIFEST.json")))
            .Where(f => f.Exists)
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => $"{f.FullName} {f.Length} {f.LastWriteTimeUtc.Ticks}");
        return Hash(string.Join('\n', manifests));
    }

    /// <summary>Where a tool resolves to (links followed), its size and write time.</summary>
    private static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        return target.Exists ? $"{target.FullName} {target.Length} {target.LastWriteTimeUtc.Ticks}" : "broken link";
    }

    /// <summary>
    /// For a script tool (ansible-lint, yamllint), its interpreter and the
    /// folders its libraries live in: an upgrade in place (pip, apt) renames a
    /// package's dist-info folder there, which changes the folder's write time.
    /// </summary>
    private static string Libraries(string tool, string[] path)
    {
        string? shebang;
        try
        {
            using var reader = new StreamReader(tool);
            var buffer = new char[256];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            var text = new string(buffer, 0, read);
            shebang = text.StartsWith("#!", StringComparison.Ordinal) ? text[2..].Split('\n')[0].Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return " unreadable";
        }

        if (shebang is null)
        {
            return string.Empty;
        }

        var words = shebang.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var interpreter = words.Length > 1 && Path.GetFileName(words[0]) == "env"
            ? path.Select(p => Path.Combine(p, words[1])).FirstOrDefault(File.Exists)
            : words.FirstOrDefault();
        if (interpreter is null || !File.Exists(interpreter))
        {
            return $" interpreter {shebang} absent";
        }

        var resolved = (new FileInfo(interpreter).ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.FullName ?? interpreter;
        var prefix = Path.GetDirectoryName(Path.GetDirectoryName(interpreter)) ?? "/";
        var user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "lib");
        var libraries = new[] { Path.Combine(prefix, "lib"), Path.Combine(prefix, "local", "lib"), user }
            .Where(Directory.Exists)
            .SelectMany(lib => Directory.EnumerateDirectories(lib, "python3*"))
            .SelectMany(python => new[] { Path.Combine(python, "site-packages"), Path.Combine(python, "dist-packages") })
            .Append(Path.Combine(prefix, "lib", "python3", "dist-packages"))
            .Where(Directory.Exists)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(d => $"{d} {Directory.GetLastWriteTimeUtc(d).Ticks}");
        return $" interpreter {Fingerprint(resolved)} libraries {Hash(string.Join('|', libraries))}";
    }

    /// <summary>A folder's files by name, size and write time (not their content: a provider mirror is hundreds of MB).</summary>
    private static string Listing(string folder) =>
        Hash(string.Join('\n', Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f))
            .Select(f => $"{Path.GetRelativePath(folder, f.FullName)} {f.Length} {f.LastWriteTimeUtc.Ticks}")));

    private static string UserId() => File.Exists("/proc/self/status")
        ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) ?? "?"
        : "?";
}
