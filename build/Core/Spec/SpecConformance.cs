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

        return findings;
    }
}
