using Cake.Core;

namespace Platform.Build.Frosting;

/// <summary>Runs once before the first task and once after the last (even on failure).</summary>
public interface IFrostingLifetime
{
    void Setup(ICakeContext context, ISetupContext info);
    void Teardown(ICakeContext context, ITeardownContext info);
}

/// <summary>Runs before and after every task that executes.</summary>
public interface IFrostingTaskLifetime
{
    void Setup(ICakeContext context, ITaskSetupContext info);
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

public abstract class FrostingLifetime<TContext> : IFrostingLifetime where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingLifetime.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
    void IFrostingLifetime.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingTaskLifetime<TContext> : IFrostingTaskLifetime where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ITaskSetupContext info);
    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskLifetime.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);
    void IFrostingTaskLifetime.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}
