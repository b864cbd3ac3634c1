using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Platform.Build.Tools;

/// <summary>The run was interrupted (SIGINT, SIGTERM, or a child killed by a signal): nothing more runs.</summary>
public sealed class InterruptedException(string message) : Exception(message);

/// <summary>
/// Ctrl-C and SIGTERM stop the run, not only the build process: the signal is
/// passed on to every process the build started (terraform gets the chance to
/// stop cleanly and release its state lock), whatever is still running after a
/// grace period is killed, no further tool starts, the report is written with
/// the run marked interrupted, and the exit code is 128 + the signal (130 for
/// Ctrl-C). A child that dies by a signal the build did not send (a Ctrl-C that
/// reached only the children) interrupts the run the same way: it is reported
/// as interrupted, never as the tool's own error.
/// </summary>
public static class Interrupts
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>How long children get to stop after the signal is passed on.</summary>
    public static TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _signal;

    /// <summary>The signal that stopped the run, or 0.</summary>
    public static int Signal => Volatile.Read(ref _signal);

    public static bool Interrupted => Signal != 0;

    /// <summary>Why the run stopped, for the report's "Run" row.</summary>
    public static string Reason { get; private set; } = string.Empty;

    /// <summary>Takes over SIGINT and SIGTERM for the rest of the process (once).</summary>
    public static void Install()
    {
        lock (Registrations)
        {
            if (Registrations.Count > 0 || OperatingSystem.IsWindows())
            {
                return;
            }

            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, SigInt)));
            Registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, SigTerm)));
        }
    }

    /// <summary>Before a tool starts: after an interrupt nothing new runs.</summary>
    public static void ThrowIfInterrupted()
    {
        if (Interrupted)
        {
            throw new InterruptedException(Reason);
        }
    }

    /// <summary>
    /// After a tool exits: an exit by a signal (128+n, as .NET reports it) means the
    /// tool was stopped from outside, so the run stops too and says so.
    /// </summary>
    public static void CheckExit(string tool, int exitCode)
    {
        if (!Interrupted && exitCode is > 128 and < 160 && (exitCode - 128) is SigInt or SigTerm or SigKill or 1 /* SIGHUP */ or 3 /* SIGQUIT */)
        {
            Stop(exitCode - 128, $"{tool} was stopped by signal {exitCode - 128} ({Name(exitCode - 128)}) from outside the build");
        }

        ThrowIfInterrupted();
    }

    private static void OnSignal(PosixSignalContext context, int signal)
    {
        // The build stops itself: the report must still be written.
        context.Cancel = true;
        if (Interrupted)
        {
            return;
        }

        var stopped = Stop(signal, $"interrupted by {Name(signal)}");
        Reason = $"{Reason}; {stopped}";
    }

    /// <summary>Marks the run interrupted and stops every descendant process: the same signal, then SIGKILL after the grace period.</summary>
    private static string Stop(int signal, string reason)
    {
        if (Interlocked.CompareExchange(ref _signal, signal, 0) != 0)
        {
            return string.Empty;
        }

        Reason = reason;
        var children = Descendants(Environment.ProcessId);
        foreach (var pid in children)
        {
            _ = Kill(pid, signal);
        }

        var deadline = DateTime.UtcNow + Grace;
        while (DateTime.UtcNow < deadline && children.Any(Alive))
        {
            Thread.Sleep(100);
        }

        var killed = children.Where(Alive).ToList();
        foreach (var pid in killed)
        {
            _ = Kill(pid, SigKill);
        }

        return children.Count == 0 ? "no child process was running"
            : $"{children.Count} child processes stopped{(killed.Count > 0 ? $", {killed.Count} of them killed after {Grace.TotalSeconds:0} s" : string.Empty)}";
    }

    /// <summary>Every process below <paramref name="root"/>, from /proc (children first found, grandchildren after).</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
                // gone while we looked, or not ours to read
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var parent = queue.Dequeue();
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private static string Name(int signal) => signal switch
    {
        SigInt => "SIGINT",
        SigTerm => "SIGTERM",
        SigKill => "SIGKILL",
        1 => "SIGHUP",
        3 => "SIGQUIT",
        _ => $"signal {signal}",
    };

    // kill(2): .NET can only SIGKILL a process; the others need libc.
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; this one call does not.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
