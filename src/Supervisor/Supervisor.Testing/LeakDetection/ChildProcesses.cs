using System.Diagnostics;
using System.Globalization;

namespace Supervisor.Testing.LeakDetection;

/// <summary>
/// The processes descended from this one that still run: from <c>/proc</c> on Linux, from <c>ps</c> on other Unix
/// systems, from a Toolhelp snapshot on Windows. Ended processes not yet reaped (zombies) are not counted.
/// </summary>
internal static class ChildProcesses
{
    public static IReadOnlyList<ChildProcess> OfThisProcess()
    {
        var all = OperatingSystem.IsLinux() ? FromProc()
            : OperatingSystem.IsWindows() ? WindowsProcesses.Snapshot()
            : FromPs();
        return Descendants(all, Environment.ProcessId);
    }

    private static List<ChildProcess> Descendants(IReadOnlyList<(int Pid, int ParentPid, string CommandLine)> all, int root)
    {
        var byParent = all.ToLookup(p => p.ParentPid);
        var found = new List<ChildProcess>();
        var pending = new Stack<int>([root]);
        var seen = new HashSet<int> { root };
        while (pending.TryPop(out var parent))
        {
            foreach (var child in byParent[parent].Where(c => seen.Add(c.Pid)))
            {
                found.Add(new ChildProcess(child.Pid, child.CommandLine));
                pending.Push(child.Pid);
            }
        }
        return found;
    }

    private static List<(int, int, string)> FromProc()
    {
        var processes = new List<(int, int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                // stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z" || fields[0] == "X") continue;
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').TrimEnd();
                processes.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture), commandLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read, or is not ours to read: neither is a child left running.
            }
        }
        return processes;
    }

    private static List<(int, int, string)> FromPs()
    {
        var start = new ProcessStartInfo("ps", "-A -o pid= -o ppid= -o stat= -o command=") { RedirectStandardOutput = true, UseShellExecute = false };
        using var ps = Process.Start(start) ?? throw new InvalidOperationException("ps could not be started to list child processes.");
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        var processes = new List<(int, int, string)>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3 || fields[2].StartsWith('Z')) continue;
            var pid = int.Parse(fields[0], CultureInfo.InvariantCulture);
            // ps itself is a child of this process while it lists them.
            if (pid == ps.Id) continue;
            processes.Add((pid, int.Parse(fields[1], CultureInfo.InvariantCulture), fields.Length > 3 ? fields[3] : ""));
        }
        return processes;
    }
}
