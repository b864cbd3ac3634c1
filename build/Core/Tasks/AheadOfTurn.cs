using System.Collections.Concurrent;
using Platform.Build.Core.Checks;
using Platform.Build.Core.Context;
using Platform.Build.Core.Logs;

namespace Platform.Build.Core.Tasks;

/// <summary>
/// Offline runs (--parallel=N, N &gt; 1): the checks of the run's tasks start
/// before Cake's engine reaches them, a lane at a time per phase of the seed,
/// lanes side by side, at most N tasks at once. The engine still runs every
/// task in its order, with its criteria, error handlers and finally: at its
/// turn a task takes the results made ahead and records them, so the console,
/// the ledger and the reports read in task order. Within a phase the tasks
/// share a domain session (one Terraform workspace, one render folder), so a
/// phase is one lane even where the seed marks tasks [P]. Only checks run
/// ahead, never an action: live runs are one task after another.
/// </summary>
public sealed class AheadOfTurn(BuildContext context, IReadOnlyList<PlatformTask> tasks, int limit, TaskLogs? logs)
{
    private readonly ConcurrentDictionary<string, Task<(IReadOnlyList<CheckResult> Results, TaskLog? Log)>> _started = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private readonly HashSet<string> _now = [];
    private bool _running;

    /// <summary>
    /// The work started ahead for <paramref name="task"/>, once; null when it
    /// was not. The first call starts every lane: tasks before the first lane
    /// task (Doctor, which may install the tools) have finished by then.
    /// </summary>
    public Task<(IReadOnlyList<CheckResult> Results, TaskLog? Log)>? Take(string task)
    {
        lock (_gate)
        {
            if (!_running)
            {
                _running = true;
                Start();
            }
        }

        return _started.TryRemove(task, out var started) ? started : null;
    }

    /// <summary>The status line: the tasks running now.</summary>
    private void Running(string task, bool started)
    {
        lock (_now)
        {
            _ = started ? _now.Add(task) : _now.Remove(task);
            logs?.Progress(_now.Count == 0 ? string.Empty : $"running: {string.Join(", ", _now)}");
        }
    }

    /// <summary>Starts the lanes of <c>tasks</c> (in the engine's order); a task without a lane waits for its turn.</summary>
    private void Start()
    {
        var ahead = this;
        var gate = new SemaphoreSlim(limit);
        foreach (var lane in tasks.Where(t => t.Lane is not null).GroupBy(t => t.Lane))
        {
            Task previous = Task.CompletedTask;
            foreach (var task in lane)
            {
                var after = previous;
                var log = logs?.Open(Path.Combine(context.Paths.Artifacts, "logs"), task.Name, hold: true);
                var started = Task.Run(async () =>
                {
                    await after.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    await gate.WaitAsync().ConfigureAwait(false);
                    Running(task.Name, true);
                    try
                    {
                        using (log is null ? null : logs!.Enter(log))
                        {
                            return (await task.RunChecksAsync(context).ConfigureAwait(false), log);
                        }
                    }
                    finally
                    {
                        Running(task.Name, false);
                        gate.Release();
                    }
                });
                ahead._started[task.Name] = started;
                previous = started;
            }
        }
    }
}
