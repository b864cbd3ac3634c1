using System.Reflection;
using Platform.Build.Core.Tasks;
using Platform.Build.Core.Graph;

namespace Platform.Build.Core.Spec;

/// <summary>
/// Compares the typed tasks with the spec: IDs, build-task names, titles,
/// dependencies, files, bound checklist items and checkpoint sources. Every
/// difference is one finding naming both sides. Used by the tests and by
/// every build run (a row of the report).
/// </summary>
public static class SpecConformance
{
    public static IReadOnlyList<string> Findings(SpecDocument spec, TaskCatalog catalog)
    {
        var findings = new List<string>();
        var seedTasks = catalog.Tasks
            .Select(t => (Descriptor: t, Id: t.Type.GetCustomAttribute<SeedTaskAttribute>()?.Id))
            .Where(t => t.Id is not null)
            .ToDictionary(t => t.Id!, t => t.Descriptor);
        var idOf = seedTasks.ToDictionary(p => p.Value.Type, p => p.Key);

        foreach (var specTask in spec.Tasks)
        {
            if (!seedTasks.TryGetValue(specTask.Id, out var task))
            {
                findings.Add($"Task {specTask.Id} ({specTask.BuildTask}) has no class with [SeedTask(\"{specTask.Id}\")]");
                continue;
            }

            var where = $"Task {specTask.Id} ({task.Type.Name})";
            if (specTask.BuildTask != task.Name)
            {
                findings.Add($"{where}: the spec names the build task '{specTask.BuildTask}', the class is named '{task.Name}'");
            }

            if (task.Description is null || !task.Description.StartsWith($"Task {specTask.Id}: {specTask.Title}", StringComparison.Ordinal))
            {
                findings.Add($"{where}: description should start with 'Task {specTask.Id}: {specTask.Title}', is '{task.Description}'");
            }

            var dependencies = task.Dependencies.Select(d => idOf.GetValueOrDefault(d) ?? catalog[d].Name).Order(StringComparer.Ordinal).ToList();
            var expected = specTask.Dependencies.Order(StringComparer.Ordinal).ToList();
            if (!dependencies.SequenceEqual(expected))
            {
                findings.Add($"{where}: depends on [{string.Join(", ", dependencies)}], the spec says [{string.Join(", ", expected)}]");
            }

            var instance = (PlatformTask)Activator.CreateInstance(task.Type)!;
            var items = specTask.Validation.ToHashSet();
            var filesItem = items.Contains(SpecDocument.Normalize(PlatformTask.FilesItem));
            if (specTask.Files.Count > 0 != filesItem)
            {
                findings.Add(filesItem
                    ? $"{where}: validates '{PlatformTask.FilesItem}' but lists no Files to Create"
                    : $"{where}: lists Files to Create but not the item '{PlatformTask.FilesItem}'");
            }

            foreach (var bound in instance.BuildChecklist().Definitions.Where(d => !d.IfListed && !items.Contains(SpecDocument.Normalize(d.Item))))
            {
                findings.Add($"{where}: checks '{bound.Item}', which is not in its Validation list");
            }
        }

        foreach (var (id, task) in seedTasks.Where(p => spec.FindTask(p.Key) is null))
        {
            findings.Add($"{task.Type.Name} has [SeedTask(\"{id}\")] but the spec has no Task {id}");
        }

        foreach (var checkpoint in catalog.Tasks.Where(t => typeof(CheckpointTask).IsAssignableFrom(t.Type)))
        {
            var instance = (CheckpointTask)Activator.CreateInstance(checkpoint.Type)!;
            var specCheckpoint = spec.FindCheckpoint(instance.Number);
            if (specCheckpoint is null)
            {
                findings.Add($"{checkpoint.Name}: the spec has no Checkpoint {instance.Number}");
                continue;
            }

            foreach (var definition in instance.BuildChecklist().Definitions)
            {
                if (!specCheckpoint.Items.Contains(SpecDocument.Normalize(definition.Item)))
                {
                    findings.Add($"{checkpoint.Name}: checks '{definition.Item}', which is not in Checkpoint {instance.Number}");
                }

                foreach (var (source, item) in definition.Sources)
                {
                    var sourceTask = catalog.Find(source);
                    var sourceId = sourceTask is null ? null : idOf.GetValueOrDefault(sourceTask.Type);
                    var sourceItems = sourceId is null ? null : spec.FindTask(sourceId)?.Validation;
                    if (sourceItems is null || !sourceItems.Contains(SpecDocument.Normalize(item)))
                    {
                        findings.Add($"{checkpoint.Name}: '{definition.Item}' follows {source} '{item}', which is not an item of that task");
                    }
                }
            }
        }

        findings.AddRange(PostImplementation(spec, catalog, idOf));
        return findings;
    }

    /// <summary>The post-implementation list against its task: name, the checkpoint it follows, items, files and derived sources.</summary>
    private static IEnumerable<string> PostImplementation(SpecDocument spec, TaskCatalog catalog, Dictionary<Type, string> idOf)
    {
        var tasks = catalog.Tasks.Where(t => typeof(PostImplementationTask).IsAssignableFrom(t.Type)).ToList();
        if (spec.PostImplementation is not { } post)
        {
            foreach (var task in tasks)
            {
                yield return $"{task.Name} mirrors the post-implementation list, but the spec has no '## Post-Implementation Tasks'";
            }

            yield break;
        }

        var found = tasks.FirstOrDefault(t => t.Name == post.BuildTask);
        if (found is null)
        {
            yield return $"Post-Implementation Tasks: the spec names the build task '{post.BuildTask}', and no PostImplementationTask class has that name";
            yield break;
        }

        var after = post.AfterCheckpoint is { } n ? catalog.Tasks.FirstOrDefault(t => typeof(CheckpointTask).IsAssignableFrom(t.Type) && ((CheckpointTask)Activator.CreateInstance(t.Type)!).Number == n) : null;
        var dependencies = found.Dependencies.Select(d => catalog[d].Name).ToList();
        if (after is null || !dependencies.SequenceEqual([after.Name]))
        {
            yield return $"{found.Name}: depends on [{string.Join(", ", dependencies)}], the spec says Checkpoint {post.AfterCheckpoint?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}";
        }

        var items = post.Items.ToHashSet();
        var filesItem = items.Contains(SpecDocument.Normalize(PlatformTask.FilesItem));
        if (post.Files.Count > 0 != filesItem)
        {
            yield return filesItem
                ? $"{found.Name}: validates '{PlatformTask.FilesItem}' but the list names no Files to Create"
                : $"{found.Name}: the list names Files to Create but not the item '{PlatformTask.FilesItem}'";
        }

        var instance = (PlatformTask)Activator.CreateInstance(found.Type)!;
        foreach (var definition in instance.BuildChecklist().Definitions.Where(d => !d.IfListed))
        {
            if (!items.Contains(SpecDocument.Normalize(definition.Item)))
            {
                yield return $"{found.Name}: checks '{definition.Item}', which is not in the post-implementation list";
            }

            foreach (var (source, item) in definition.Sources)
            {
                var sourceId = catalog.Find(source) is { } sourceTask ? idOf.GetValueOrDefault(sourceTask.Type) : null;
                if (sourceId is null || spec.FindTask(sourceId)?.Validation.Contains(SpecDocument.Normalize(item)) != true)
                {
                    yield return $"{found.Name}: '{definition.Item}' follows {source} '{item}', which is not an item of that task";
                }
            }
        }
    }
}
