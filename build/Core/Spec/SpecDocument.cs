using System.Text.RegularExpressions;

namespace Platform.Build.Core.Spec;

/// <summary>A task of the task list: <c>### Task 1.2: Title</c> and its fields.</summary>
public sealed record SpecTask(
    string Id,
    string Title,
    string? BuildTask,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Validation,
    int Line);

/// <summary>A checkpoint: <c>### Checkpoint 1: Title</c> and its checklist.</summary>
public sealed record SpecCheckpoint(int Number, string Title, IReadOnlyList<string> Items, int Line);

/// <summary>A group of the post-implementation list: <c>### Documentation</c> and its items.</summary>
public sealed record SpecGroup(string Title, IReadOnlyList<string> Items);

/// <summary>
/// <c>## Post-Implementation Tasks</c>: the seed's list after the checkpoints,
/// in groups, with the build task that runs it, the checkpoint it follows and its files.
/// </summary>
public sealed record SpecPostImplementation(string? BuildTask, int? AfterCheckpoint, IReadOnlyList<string> Files, IReadOnlyList<SpecGroup> Groups, int Line)
{
    public IReadOnlyList<string> Items => [.. Groups.SelectMany(g => g.Items)];
}

/// <summary>The file cannot be read or does not have the shape the build needs.</summary>
public sealed class SpecException(string message) : Exception(message);

/// <summary>
/// Reads a task list in the seed's Markdown shape (specs/platform/tasks.md, or
/// the seed itself). Line-based on purpose: the format is a handful of bold
/// field names and bullet lists, documented at the top of the spec.
/// </summary>
public sealed partial class SpecDocument
{
    private SpecDocument(string path, IReadOnlyList<SpecTask> tasks, IReadOnlyList<SpecCheckpoint> checkpoints, SpecPostImplementation? postImplementation)
    {
        Path = path;
        Tasks = tasks;
        Checkpoints = checkpoints;
        PostImplementation = postImplementation;
    }

    public string Path { get; }
    public IReadOnlyList<SpecTask> Tasks { get; }
    public IReadOnlyList<SpecCheckpoint> Checkpoints { get; }

    /// <summary>The post-implementation list, or null when the file has none.</summary>
    public SpecPostImplementation? PostImplementation { get; }

    /// <summary>
    /// The folders directly under <paramref name="prefix"/> that the tasks' Files
    /// lists name, in the spec's order: the Terraform modules, the Ansible roles.
    /// The spec says what exists; the code does not keep a second list.
    /// </summary>
    public IReadOnlyList<string> FoldersUnder(string prefix) =>
        [.. Tasks.SelectMany(t => t.Files).Concat(PostImplementation?.Files ?? [])
            .Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && f.IndexOf('/', prefix.Length) > prefix.Length)
            .Select(f => f[prefix.Length..f.IndexOf('/', prefix.Length)])
            .Distinct()];

    public SpecTask? FindTask(string id) => Tasks.FirstOrDefault(t => t.Id == id);
    public SpecCheckpoint? FindCheckpoint(int number) => Checkpoints.FirstOrDefault(c => c.Number == number);

    public static SpecDocument Load(string path, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpecException($"{shown}: cannot read the task list ({e.Message.TrimEnd('.')}): restore it with 'git checkout -- {shown}'");
        }

        return Parse(text, shown);
    }

    public static SpecDocument Parse(string text, string path)
    {
        var tasks = new List<SpecTask>();
        var checkpoints = new List<SpecCheckpoint>();
        SpecPostImplementation? post = null;
        var lines = text.ReplaceLineEndings("\n").Split('\n');

        Section? section = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("### ", StringComparison.Ordinal))
            {
                // Inside the post-implementation list a ### heading is one of its groups.
                if (section is { Post: true } && line.StartsWith("### ", StringComparison.Ordinal) && !TaskHeading().IsMatch(line) && !CheckpointHeading().IsMatch(line))
                {
                    section.OpenGroup(CleanTitle(line[4..]));
                    continue;
                }

                post = Close(section, tasks, checkpoints) ?? post;
                section = Open(line, i + 1);
                continue;
            }

            section?.Add(line, i + 1, path);
        }

        post = Close(section, tasks, checkpoints) ?? post;

        var duplicate = tasks.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SpecException($"{path}:{duplicate.Last().Line}: Task {duplicate.Key} appears twice: give each task its own ID");
        }

        if (tasks.Count == 0)
        {
            throw new SpecException($"{path}: no '### Task <id>: <title>' headings found: is this the task list?");
        }

        return new SpecDocument(path, tasks, checkpoints, post);
    }

    /// <summary>Whitespace-insensitive form used to match a check to its checklist item.</summary>
    public static string Normalize(string item) => Whitespace().Replace(item.Trim(), " ");

    private static Section? Open(string heading, int line)
    {
        if (PostHeading().IsMatch(heading))
        {
            return new Section(null, "Post-Implementation Tasks", null, line) { Post = true };
        }

        var task = TaskHeading().Match(heading);
        if (task.Success)
        {
            return new Section(task.Groups["id"].Value, CleanTitle(task.Groups["title"].Value), null, line);
        }

        var checkpoint = CheckpointHeading().Match(heading);
        return checkpoint.Success
            ? new Section(null, CleanTitle(checkpoint.Groups["title"].Value), int.Parse(checkpoint.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), line)
            : null;
    }

    /// <summary>Adds a closed task or checkpoint; a closed post-implementation list is returned.</summary>
    private static SpecPostImplementation? Close(Section? section, List<SpecTask> tasks, List<SpecCheckpoint> checkpoints)
    {
        if (section is null)
        {
            return null;
        }

        if (section.Post)
        {
            return new SpecPostImplementation(section.BuildTask, section.AfterCheckpoint, [.. section.Files],
                [.. section.Groups.Select(g => new SpecGroup(g.Title, [.. g.Items]))], section.Line);
        }

        if (section.CheckpointNumber is { } number)
        {
            checkpoints.Add(new SpecCheckpoint(number, section.Title, [.. section.Items], section.Line));
        }
        else
        {
            tasks.Add(new SpecTask(section.Id!, section.Title, section.BuildTask, [.. section.Dependencies], [.. section.Files], [.. section.Items], section.Line));
        }

        return null;
    }

    // "Create Application Manifests [Helm/Kustomize]" -> "Create Application Manifests": tags are not part of the title.
    private static string CleanTitle(string title) => TitleTags().Replace(title, string.Empty).Trim();

    private sealed class Section(string? id, string title, int? checkpointNumber, int line)
    {
        private string? _field;

        public string? Id { get; } = id;
        public string Title { get; } = title;
        public int? CheckpointNumber { get; } = checkpointNumber;
        public int Line { get; } = line;
        public string? BuildTask { get; private set; }
        public List<string> Dependencies { get; } = [];
        public List<string> Files { get; } = [];
        public List<string> Items { get; } = [];
        public bool Post { get; init; }
        public int? AfterCheckpoint { get; private set; }
        public List<(string Title, List<string> Items)> Groups { get; } = [];

        public void OpenGroup(string title)
        {
            Groups.Add((title, []));
            _field = null;
        }

        public void Add(string line, int number, string path)
        {
            var field = Field().Match(line);
            if (field.Success)
            {
                _field = field.Groups["name"].Value.Trim();
                var value = field.Groups["value"].Value.Trim();
                switch (_field)
                {
                    case "Build task":
                        BuildTask = Backticked().Match(value) is { Success: true } m ? m.Groups[1].Value
                            : throw new SpecException($"{path}:{number}: **Build task** needs a backticked class name, e.g. `CreateVpcModule`");
                        break;
                    case "Dependencies":
                        Dependencies.AddRange(TaskId().Matches(value).Select(m => m.Value));
                        if (CheckpointReference().Match(value) is { Success: true } after)
                        {
                            AfterCheckpoint = int.Parse(after.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                        }

                        break;
                }

                return;
            }

            var checkbox = Checkbox().Match(line);
            if (checkbox.Success && Post && Groups.Count > 0)
            {
                Groups[^1].Items.Add(Normalize(checkbox.Groups["text"].Value));
                return;
            }

            if (checkbox.Success && (_field == "Validation" || CheckpointNumber is not null))
            {
                Items.Add(Normalize(checkbox.Groups["text"].Value));
                return;
            }

            if (_field is not null && _field.StartsWith("Files to Create", StringComparison.Ordinal) && line.StartsWith("- ", StringComparison.Ordinal))
            {
                var file = Backticked().Match(line);
                if (file.Success)
                {
                    Files.Add(file.Groups[1].Value);
                }
            }
        }
    }

    [GeneratedRegex(@"^###\s+Task\s+(?<id>\d+\.\d+):\s*(?<title>.+)$")]
    private static partial Regex TaskHeading();

    [GeneratedRegex(@"^###\s+Checkpoint\s+(?<n>\d+):\s*(?<title>.+)$")]
    private static partial Regex CheckpointHeading();

    [GeneratedRegex(@"^\*\*(?<name>[^*]+)\*\*(?:\s*\([^)]*\))?:\s*(?<value>.*)$")]
    private static partial Regex Field();

    [GeneratedRegex(@"^\s*-\s+\[[ xX]\]\s+(?<text>.+)$")]
    private static partial Regex Checkbox();

    [GeneratedRegex(@"^##\s+Post-Implementation Tasks\s*$")]
    private static partial Regex PostHeading();

    [GeneratedRegex(@"\bCheckpoint\s+(\d+)\b")]
    private static partial Regex CheckpointReference();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"\b\d+\.\d+\b")]
    private static partial Regex TaskId();

    [GeneratedRegex(@"\s*\[[^\]]*\]")]
    private static partial Regex TitleTags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
