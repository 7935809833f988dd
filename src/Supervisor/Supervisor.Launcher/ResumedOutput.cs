using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Supervisor.Launcher;

/// <summary>
/// <c>--resume</c>, after GNU parallel's: reads the output of an earlier run of the same job, keeps its complete lines
/// and names their indices, so that only the missing ones run. A last line without its newline (the run was killed
/// while writing it) is cut off, and <see cref="CallFailure.NotRun"/> rows are dropped: those calls run now.
/// </summary>
internal static class ResumedOutput
{
    /// <summary>Prepares <paramref name="path"/> to be appended to and returns the indices it holds.</summary>
    /// <exception cref="LaunchConfigurationException">A complete line is not one the launcher writes.</exception>
    public static IndexSet Prepare(string path)
    {
        var done = new IndexSet();
        if (!File.Exists(path)) return done;
        var kept = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.resume-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        var rewrite = false;
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read))
        using (var writer = new FileStream(kept, FileMode.Create, FileAccess.Write))
        {
            var number = 0L;
            foreach (var (line, complete) in Lines(reader))
            {
                number++;
                if (!complete)
                {
                    rewrite = true; // killed mid-write: the partial line goes
                    break;
                }
                var (index, notRun) = Read(line, number, path);
                if (notRun || !done.Add(index))
                {
                    rewrite = true;
                    continue;
                }
                writer.Write(line);
                writer.WriteByte((byte)'\n');
            }
        }
        if (rewrite) File.Move(kept, path, overwrite: true);
        else File.Delete(kept);
        return done;
    }

    private static (long Index, bool NotRun) Read(byte[] line, long number, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var notRun = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("type", out var type) && type.ValueEquals(CallFailure.NotRun);
            return (root.GetProperty("index").GetInt64(), notRun);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            var shown = System.Text.Encoding.UTF8.GetString(line.AsSpan(0, Math.Min(line.Length, 80)));
            throw new LaunchConfigurationException(
                $"--resume: line {number.ToString(CultureInfo.InvariantCulture)} of '{path}' is not a result line of the launcher ({shown}); " +
                "resume continues the output of an earlier run of the same job. Fix or remove that line, or write to a new file.", e);
        }
    }

    // The file's lines as bytes, each with whether its newline was there.
    private static IEnumerable<(byte[] Line, bool Complete)> Lines(Stream stream)
    {
        var line = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var start = 0;
            int end;
            while ((end = Array.IndexOf(buffer, (byte)'\n', start, read - start)) >= 0)
            {
                line.Write(buffer, start, end - start);
                yield return (line.ToArray(), true);
                line.SetLength(0);
                start = end + 1;
            }
            line.Write(buffer, start, read - start);
        }
        if (line.Length > 0) yield return (line.ToArray(), false);
    }
}
