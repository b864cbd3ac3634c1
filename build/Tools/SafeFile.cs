namespace Platform.Build.Tools;

/// <summary>A report file could not be written: the message names the file, why, and the fix.</summary>
public sealed class ReportWriteException(string message) : Exception(message);

/// <summary>
/// Writes a file whole or not at all, and never through a link: the text goes
/// to a new file beside it (created exclusively), which then replaces the name.
/// A symlink planted at the report's path is replaced, its target untouched;
/// a reader never sees half a report.
/// </summary>
public static class SafeFile
{
    public static void Replace(string path, string text)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // nothing more to do: the original error is the one to report
            }

            var why = e is UnauthorizedAccessException ? "it is not writable (permissions or a read-only file system)" : e.Message;
            throw new ReportWriteException($"cannot write {path}: {why}: make {Path.GetDirectoryName(path)} writable (and free space) and run again");
        }
    }

    /// <summary>Writes a file only its owner can read, from its creation on: state and plans can hold secrets.</summary>
    public static void WritePrivate(string path, string text)
    {
        if (System.OperatingSystem.IsWindows())
        {
            File.WriteAllText(path, text);
            return;
        }

        File.Delete(path); // the mode below applies only to a file being created
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        MakePrivate(path);
    }

    public static void MakePrivate(string path)
    {
        if (!System.OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
