using System.Reflection;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Platform.Build.Frosting;

/// <summary>
/// Registers the build's tasks (the <see cref="IFrostingTask"/> services) with
/// Cake's engine, the way Cake.Frosting does: name from [TaskName] or the
/// class, dependencies from the (inherited) attributes, and criteria, error
/// and finally handlers only where the class overrides them.
/// </summary>
internal static class TaskRegistrar
{
    /// <summary>Public, non-abstract task classes in an assembly, in declaration order; Frosting takes exported types only.</summary>
    public static IEnumerable<Type> Discover(Assembly assembly) =>
        assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false } && typeof(IFrostingTask).IsAssignableFrom(t))
            .OrderBy(t => t.MetadataToken);

    public static string NameOf(Type type) => type.GetCustomAttribute<TaskNameAttribute>()?.Name ?? type.Name;

    public static void Register(ICakeEngine engine, IEnumerable<IFrostingTask> tasks, ICakeContext context, ICakeLog log)
    {
        var byType = tasks.GroupBy(t => t.GetType()).ToDictionary(g => g.Key, g => g.First());
        var duplicate = byType.Keys.GroupBy(NameOf, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FrostingException(
                $"task name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(t => t.FullName))}: give one a different [TaskName]");
        }

        foreach (var (type, task) in byType)
        {
            var expects = ContextTypeOf(type);
            if (!expects.IsInstanceOfType(context))
            {
                // As Frosting: a task for another context is left out, with a warning.
                log.Warning("Task {0} runs on {1}, but the host's context is {2}: it is not registered (call UseContext<{1}>()).", type.Name, expects.Name, context.GetType().Name);
                continue;
            }

            var builder = engine.RegisterTask(NameOf(type));
            if (type.GetCustomAttribute<TaskDescriptionAttribute>() is { } description)
            {
                builder.Description(description.Description);
            }

            foreach (var dependency in Related<IsDependentOnAttribute>(type, a => a.Task, byType))
            {
                builder.IsDependentOn(NameOf(dependency));
            }

            foreach (var dependee in Related<IsDependeeOfAttribute>(type, a => a.Task, byType))
            {
                builder.IsDependeeOf(NameOf(dependee));
            }

            // An error handler changes the engine's behaviour (it swallows the
            // error), so handlers are registered only when overridden.
            if (Overrides(type, nameof(IFrostingTask.ShouldRun)))
            {
                builder.WithCriteria(_ => task.ShouldRun(context), task.SkippedMessage ?? string.Empty);
            }

            // A task without Run has no action: Cake records it Delegated.
            if (Overrides(type, "Run") || Overrides(type, nameof(IFrostingTask.RunAsync)))
            {
                builder.Does(async () => await task.RunAsync(context).ConfigureAwait(false));
            }

            if (Overrides(type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError((Exception exception) => task.OnError(exception, context));
            }

            if (Overrides(type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(() => task.Finally(context));
            }

            if (type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null)
            {
                builder.ContinueOnError();
            }
        }
    }

    /// <summary>The TContext of FrostingTask&lt;TContext&gt; or AsyncFrostingTask&lt;TContext&gt; a task derives from.</summary>
    private static Type ContextTypeOf(Type type)
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

    private static IEnumerable<Type> Related<TAttribute>(Type type, Func<TAttribute, Type> target, Dictionary<Type, IFrostingTask> tasks)
        where TAttribute : Attribute
    {
        foreach (var other in type.GetCustomAttributes<TAttribute>(inherit: true).Select(target).Distinct())
        {
            yield return tasks.ContainsKey(other)
                ? other
                : throw new FrostingException($"{type.Name} refers to {other.Name}, which is not a task of this build: make it a public IFrostingTask or remove the attribute");
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
