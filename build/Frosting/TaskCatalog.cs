using System.Reflection;
using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>One discovered task class and what its attributes declare.</summary>
public sealed record TaskDescriptor(
    Type Type,
    string Name,
    string? Description,
    IReadOnlyList<Type> Dependencies,
    IReadOnlyList<Type> Dependees,
    bool ContinueOnError);

/// <summary>
/// The task classes of a build, found by reflection and checked before anything
/// runs: unique names, dependencies that are tasks, a context the task accepts.
/// Available to tasks through the context's ServiceProvider.
/// </summary>
public sealed class TaskCatalog
{
    private readonly Dictionary<Type, TaskDescriptor> _byType;

    public TaskCatalog(IEnumerable<Type> taskTypes, Type contextType)
    {
        Tasks = [.. taskTypes.Distinct().Select(Describe)];
        _byType = Tasks.ToDictionary(t => t.Type);

        var duplicate = Tasks.GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"task name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(t => t.Type.FullName))}: give one a different [TaskName]");
        }

        foreach (var task in Tasks)
        {
            foreach (var other in task.Dependencies.Concat(task.Dependees).Where(t => !_byType.ContainsKey(t)))
            {
                throw new InvalidOperationException(
                    $"{task.Type.Name} refers to {other.Name}, which is not a task of this build: make it an IFrostingTask or remove the attribute");
            }

            var expects = ContextTypeOf(task.Type);
            if (!expects.IsAssignableFrom(contextType))
            {
                throw new InvalidOperationException(
                    $"{task.Type.Name} runs on {expects.Name}, but the host's context is {contextType.Name}: call UseContext<{expects.Name}>()");
            }
        }
    }

    public IReadOnlyList<TaskDescriptor> Tasks { get; }

    public TaskDescriptor this[Type type] => _byType[type];

    /// <summary>Tasks nothing else depends on (the entry points of the graph), in catalog order.</summary>
    public IEnumerable<TaskDescriptor> Roots => Tasks.Where(t =>
        !Tasks.Any(other => other.Dependencies.Contains(t.Type)) && t.Dependees.Count == 0);

    public TaskDescriptor? Find(string name) =>
        Tasks.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Public task classes in an assembly, in declaration order (stable across runs); Frosting takes exported types only.</summary>
    public static IEnumerable<Type> Discover(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(IFrostingTask).IsAssignableFrom(t))
            .OrderBy(t => t.MetadataToken);

    public static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;

    private static TaskDescriptor Describe(Type type) => new(
        type,
        NameOf(type),
        type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description,
        [.. type.GetCustomAttributes<IsDependentOnAttribute>(inherit: true).Select(a => a.Task).Distinct()],
        [.. type.GetCustomAttributes<IsDependeeOfAttribute>(inherit: true).Select(a => a.Task).Distinct()],
        type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null);

    /// <summary>The TContext of FrostingTask&lt;TContext&gt; or AsyncFrostingTask&lt;TContext&gt; a task derives from.</summary>
    public static Type ContextTypeOf(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(FrostingTask<>) || t.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>)))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return typeof(ICakeContext);
    }
}

/// <summary>Registers catalogued tasks with Cake's engine, the way Cake.Frosting does.</summary>
internal static class TaskRegistrar
{
    public static void Register(ICakeEngine engine, TaskCatalog catalog, ICakeContext context, IServiceProvider services)
    {
        foreach (var descriptor in catalog.Tasks)
        {
            // Constructor injection from the build's container, as in Cake.Frosting.
            var task = (IFrostingTask)ActivatorUtilities.CreateInstance(services, descriptor.Type);
            var builder = engine.RegisterTask(descriptor.Name);
            if (descriptor.Description is not null)
            {
                builder.Description(descriptor.Description);
            }

            foreach (var dependency in descriptor.Dependencies)
            {
                builder.IsDependentOn(catalog[dependency].Name);
            }

            foreach (var dependee in descriptor.Dependees)
            {
                builder.IsDependeeOf(catalog[dependee].Name);
            }

            // As in Cake.Frosting: criteria, error and finally handlers are
            // registered only when the task overrides them, because an error
            // handler changes the engine's behaviour (it swallows the error).
            if (Overrides(descriptor.Type, nameof(IFrostingTask.ShouldRun)))
            {
                builder.WithCriteria(_ => task.ShouldRun(context), task.SkippedMessage ?? string.Empty);
            }

            // A task without Run has no action: Cake records it Delegated, and the
            // summary shows it only at verbose (as Frosting's report does).
            if (Overrides(descriptor.Type, "Run") || Overrides(descriptor.Type, nameof(IFrostingTask.RunAsync)))
            {
                builder.Does(async () => await task.RunAsync(context).ConfigureAwait(false));
            }

            if (Overrides(descriptor.Type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError((Exception exception) => task.OnError(exception, context));
            }

            if (Overrides(descriptor.Type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(() => task.Finally(context));
            }

            if (descriptor.ContinueOnError)
            {
                builder.ContinueOnError();
            }
        }
    }

    /// <summary>True when a class below the Frosting base classes declares the method.</summary>
    private static bool Overrides(Type type, string method)
    {
        for (var t = type; t is not null && !IsFrostingBase(t); t = t.BaseType)
        {
            if (t.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly).Any(m => m.Name == method))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFrostingBase(Type type)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(FrostingTask<>) || definition == typeof(AsyncFrostingTask<>) || definition == typeof(object);
    }
}
