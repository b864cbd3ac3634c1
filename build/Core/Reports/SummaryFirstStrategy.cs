using Cake.Core;

namespace Platform.Build.Core.Reports;

/// <summary>
/// Cake's DefaultExecutionStrategy, except that an exception thrown by a
/// teardown after a successful build is held back until the task summary has
/// been printed: Cake's engine otherwise throws it without a report, and the
/// summary is lost (cake-build/cake #4475). The platform's failed checks fail
/// the run in its teardown, so without this a failed Validate had no summary.
/// <see cref="TaskSummaryPrinter"/> throws it right after the summary.
/// </summary>
public sealed class SummaryFirstStrategy(IExecutionStrategy inner, HeldTeardownFailure held) : IExecutionStrategy
{
    public void PerformSetup(Action<ISetupContext> action, ISetupContext context) => inner.PerformSetup(action, context);

    public void PerformTeardown(Action<ITeardownContext> action, ITeardownContext teardownContext)
    {
        try
        {
            inner.PerformTeardown(action, teardownContext);
        }
        catch (Exception e) when (teardownContext.Successful)
        {
            // Only when the build itself succeeded: otherwise Cake logs the teardown error and rethrows the build's.
            held.Exception = e;
        }
    }

    public Task ExecuteAsync(CakeTask task, ICakeContext context) => inner.ExecuteAsync(task, context);

    public void Skip(CakeTask task, CakeTaskCriteria criteria) => inner.Skip(task, criteria);

    public Task ReportErrorsAsync(Func<Exception, Task> action, Exception exception) => inner.ReportErrorsAsync(action, exception);

    public Task HandleErrorsAsync(Func<Exception, ICakeContext, Task> action, Exception exception, ICakeContext context) =>
        inner.HandleErrorsAsync(action, exception, context);

    public Task InvokeFinallyAsync(Func<ICakeContext, Task> action, ICakeContext context) => inner.InvokeFinallyAsync(action, context);

    public void PerformTaskSetup(Action<ITaskSetupContext> action, ITaskSetupContext taskSetupContext) => inner.PerformTaskSetup(action, taskSetupContext);

    public void PerformTaskTeardown(Action<ITaskTeardownContext> action, ITaskTeardownContext taskTeardownContext) =>
        inner.PerformTaskTeardown(action, taskTeardownContext);
}

/// <summary>A teardown's exception, held from the execution strategy for the report printer.</summary>
public sealed class HeldTeardownFailure
{
    public Exception? Exception { get; set; }
}
