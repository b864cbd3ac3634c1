using Cake.Core;

namespace Platform.Build.Frosting;

/// <summary>
/// Cake's DefaultExecutionStrategy, except that an exception thrown by a
/// teardown is held back until the task summary has been printed: Cake's
/// engine otherwise throws it without a report, and the summary is lost
/// (cake-build/cake #4475). The host rethrows it right after the summary.
/// </summary>
internal sealed class SummaryFirstStrategy(IExecutionStrategy inner) : IExecutionStrategy
{
    public Exception? TeardownFailure { get; private set; }

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
            TeardownFailure = e;
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
