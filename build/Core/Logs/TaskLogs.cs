using System.Globalization;
using Cake.Core.Diagnostics;

namespace Platform.Build.Core.Logs;

/// <summary>
/// The build's log: Cake's console log, plus one file per task under
/// artifacts/logs/ that gets every line the task and its tools write, at any
/// verbosity. The console keeps its verbosity (tool output is Verbose, so it
/// shows only with --verbosity=verbose). A task running beside others holds
/// its console lines until its turn comes (<see cref="TaskLog.Flush"/>), so
/// the console reads in task order.
/// </summary>
public sealed class TaskLogs(ICakeLog console, TextWriter? terminal = null) : ICakeLog
{
    private readonly AsyncLocal<TaskLog?> _current = new();
    private readonly Lock _progress = new();
    private bool _shown;

    /// <summary>
    /// On a terminal: one status line, rewritten in place ("running: 1.2
    /// CreateVpcModule, 2.3 CreatePrerequisitesRole"), cleared before any
    /// other line. Not written to a pipe, a file or CI (<paramref name="terminal"/> null).
    /// </summary>
    public void Progress(string text)
    {
        if (terminal is null)
        {
            return;
        }

        lock (_progress)
        {
            terminal.Write($"\r\u001b[2K{text}");
            terminal.Flush();
            _shown = true;
        }
    }

    private void ClearProgress()
    {
        if (terminal is null || !_shown)
        {
            return;
        }

        lock (_progress)
        {
            terminal.Write("\r\u001b[2K");
            _shown = false;
        }
    }

    public Verbosity Verbosity
    {
        get => console.Verbosity;
        set => console.Verbosity = value;
    }

    /// <summary>The task log of this flow (the task running on it), or null.</summary>
    public TaskLog? Current => _current.Value;

    /// <summary>A new log file for <paramref name="task"/> under <paramref name="folder"/>.</summary>
    public TaskLog Open(string folder, string task, bool hold) => new(new Clearing(console, ClearProgress), System.IO.Path.Combine(folder, $"{task}.log"), hold);

    /// <summary>Clears the status line for good (before the end report, which the console writes directly).</summary>
    public void EndProgress() => ClearProgress();

    /// <summary>Routes this flow's lines to <paramref name="log"/> until the result is disposed.</summary>
    public IDisposable Enter(TaskLog log)
    {
        var before = _current.Value;
        _current.Value = log;
        return new Leave(() => _current.Value = before);
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        if (_current.Value is { } task)
        {
            task.Write(verbosity, level, format, args);
        }
        else
        {
            ClearProgress();
            console.Write(verbosity, level, format, args);
        }
    }

    /// <summary>The console log, clearing the status line before each line.</summary>
    private sealed class Clearing(ICakeLog inner, Action clear) : ICakeLog
    {
        public Verbosity Verbosity
        {
            get => inner.Verbosity;
            set => inner.Verbosity = value;
        }

        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
        {
            clear();
            inner.Write(verbosity, level, format, args);
        }
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        public void Dispose() => leave();
    }
}

/// <summary>One task's log file, and its console lines (written through, or held until <see cref="Flush"/>).</summary>
public sealed class TaskLog : IDisposable
{
    private readonly ICakeLog _console;
    private readonly StreamWriter _file;
    private List<(Verbosity Verbosity, LogLevel Level, string Format, object[] Args)>? _held;
    private readonly Lock _gate = new();
    private bool _closed;

    /// <param name="hold">Hold console lines for <see cref="Flush"/> (the task runs beside others).</param>
    public TaskLog(ICakeLog console, string path, bool hold)
    {
        _console = console;
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        _held = hold ? [] : null;
    }

    public string Path { get; }

    public void Write(Verbosity verbosity, LogLevel level, string format, object[] args)
    {
        lock (_gate)
        {
            if (_closed)
            {
                // Work the task started that outlives it (a session's side-by-side runs): the console still gets its lines.
                _console.Write(verbosity, level, format, args);
                return;
            }

            _file.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level,-11} {Format(format, args)}");
            if (_held is not null)
            {
                _held.Add((verbosity, level, format, args));
                return;
            }
        }

        _console.Write(verbosity, level, format, args);
    }

    /// <summary>Writes the held console lines, in the order they came; later lines go straight through.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_held is null)
            {
                return;
            }

            foreach (var (verbosity, level, format, args) in _held)
            {
                _console.Write(verbosity, level, format, args);
            }

            _held = null;
        }
    }

    public void Dispose()
    {
        Flush();
        lock (_gate)
        {
            _closed = true;
            _file.Dispose();
        }
    }

    private static string Format(string format, object[] args)
    {
        if (args.Length == 0)
        {
            return format;
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, format, args);
        }
        catch (FormatException)
        {
            return format + " " + string.Join(' ', args);
        }
    }
}
