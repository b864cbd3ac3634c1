using Cake.Core;

namespace Platform.Build.Frosting;

/// <summary>What the host needs of a task; implemented by the base classes below.</summary>
public interface IFrostingTask
{
    Task RunAsync(ICakeContext context);
    bool ShouldRun(ICakeContext context);
    void OnError(Exception exception, ICakeContext context);
    void Finally(ICakeContext context);

    /// <summary>Why the task is skipped when <see cref="ShouldRun"/> says no; shown in the summary.</summary>
    string? SkippedMessage { get; }
}

/// <summary>A synchronous task over a typed context.</summary>
public abstract class FrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual void Run(TContext context) { }
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }
    public virtual string? SkippedMessage => null;

    Task IFrostingTask.RunAsync(ICakeContext context) { Run((TContext)context); return Task.CompletedTask; }
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

/// <summary>An asynchronous task over a typed context.</summary>
public abstract class AsyncFrostingTask<TContext> : IFrostingTask where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;
    public virtual bool ShouldRun(TContext context) => true;
    public virtual void OnError(Exception exception, TContext context) { }
    public virtual void Finally(TContext context) { }
    public virtual string? SkippedMessage => null;

    Task IFrostingTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);
    bool IFrostingTask.ShouldRun(ICakeContext context) => ShouldRun((TContext)context);
    void IFrostingTask.OnError(Exception exception, ICakeContext context) => OnError(exception, (TContext)context);
    void IFrostingTask.Finally(ICakeContext context) => Finally((TContext)context);
}

/// <summary>A synchronous task over the plain Cake context.</summary>
public abstract class FrostingTask : FrostingTask<ICakeContext>;

/// <summary>An asynchronous task over the plain Cake context.</summary>
public abstract class AsyncFrostingTask : AsyncFrostingTask<ICakeContext>;
