using System.Reflection;
using Platform.Build.Frosting;

namespace Platform.Build.Core.Graph;

/// <summary>One task class of the build and what its attributes declare.</summary>
public sealed record TaskDescriptor(
    Type Type,
    string Name,
    string? Description,
    IReadOnlyList<Type> Dependencies,
    IReadOnlyList<Type> Dependees);

/// <summary>
/// The build's tasks as the platform reads them (the graph target, the spec
/// check, the run mode, the lifetime's view of the actions): the host's
/// IFrostingTask services, described from Cake.Frosting's public attributes.
/// </summary>
public sealed class TaskCatalog
{
    private readonly Dictionary<Type, TaskDescriptor> _byType;

    public TaskCatalog(IEnumerable<Type> taskTypes)
    {
        Tasks = [.. taskTypes.Distinct().Select(Describe)];
        _byType = Tasks.ToDictionary(t => t.Type);
    }

    public IReadOnlyList<TaskDescriptor> Tasks { get; }

    /// <summary>The public task classes of an assembly, the ones Frosting would register from it.</summary>
    public static TaskCatalog Of(Assembly assembly) => new(assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(IFrostingTask).IsAssignableFrom(t))
        .OrderBy(t => t.MetadataToken));

    public TaskDescriptor this[Type type] => _byType[type];

    /// <summary>Tasks nothing else depends on (the entry points of the graph), in catalog order.</summary>
    public IEnumerable<TaskDescriptor> Roots => Tasks.Where(t =>
        !Tasks.Any(other => other.Dependencies.Contains(t.Type)) && t.Dependees.Count == 0);

    public TaskDescriptor? Find(string name) =>
        Tasks.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The task name Frosting gives a class: its [TaskName], or the class name.</summary>
    public static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;

    private static TaskDescriptor Describe(Type type) => new(
        type,
        NameOf(type),
        type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description,
        [.. type.GetCustomAttributes<IsDependentOnAttribute>(inherit: true).Select(a => a.Task).Distinct()],
        [.. type.GetCustomAttributes<IsDependeeOfAttribute>(inherit: true).Select(a => a.Task).Distinct()]);
}
