using Cake.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Build.Frosting;

/// <summary>Runs once before the first task (even when a later one fails, its teardown runs).</summary>
public interface IFrostingSetup
{
    void Setup(ICakeContext context, ISetupContext info);
}

/// <summary>Runs once after the last task, also on failure.</summary>
public interface IFrostingTeardown
{
    void Teardown(ICakeContext context, ITeardownContext info);
}

/// <summary>Setup and teardown around the run.</summary>
public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown;

/// <summary>Runs before every task that executes.</summary>
public interface IFrostingTaskSetup
{
    void Setup(ICakeContext context, ITaskSetupContext info);
}

/// <summary>Runs after every task that executes.</summary>
public interface IFrostingTaskTeardown
{
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

/// <summary>Setup and teardown around each task.</summary>
public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown;

public abstract class FrostingLifetime<TContext> : IFrostingLifetime where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingLifetime : FrostingLifetime<ICakeContext>;

public abstract class FrostingTaskLifetime<TContext> : IFrostingTaskLifetime where TContext : ICakeContext
{
    // Virtual and empty, as in Frosting: a task lifetime may override only one of them.
    public virtual void Setup(TContext context, ITaskSetupContext info) { }
    public virtual void Teardown(TContext context, ITaskTeardownContext info) { }

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);
    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingTaskLifetime : FrostingTaskLifetime<ICakeContext>;

public abstract class FrostingSetup<TContext> : IFrostingSetup where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
}

public abstract class FrostingSetup : FrostingSetup<ICakeContext>;

public abstract class FrostingTeardown<TContext> : IFrostingTeardown where TContext : ICakeContext
{
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingTeardown : FrostingTeardown<ICakeContext>;

public abstract class FrostingTaskSetup<TContext> : IFrostingTaskSetup where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ITaskSetupContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);
}

public abstract class FrostingTaskSetup : FrostingTaskSetup<ICakeContext>;

public abstract class FrostingTaskTeardown<TContext> : IFrostingTaskTeardown where TContext : ICakeContext
{
    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingTaskTeardown : FrostingTaskTeardown<ICakeContext>;

/// <summary>Configures the build's services before it runs (<c>UseStartup&lt;T&gt;()</c>).</summary>
public interface IFrostingStartup
{
    void Configure(IServiceCollection services);
}

/// <summary>An error of the Frosting host or of a build's task graph.</summary>
public sealed class FrostingException : Exception
{
    public FrostingException(string message) : base(message)
    {
    }

    public FrostingException(string message, Exception inner) : base(message, inner)
    {
    }
}
