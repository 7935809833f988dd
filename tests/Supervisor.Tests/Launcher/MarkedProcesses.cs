namespace Supervisor.Tests.Launcher;

/// <summary>
/// Finds the processes that carry a test's marker in their environment: the launcher and every worker it
/// starts inherit it, so a leftover worker is found even though the test never learned its pid. Linux only
/// (/proc); elsewhere nothing is found.
/// </summary>
internal static class MarkedProcesses
{
    public const string Variable = "SUPERVISOR_LAUNCHER_TEST_MARKER";

    public static IReadOnlyList<int> Running(string marker)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var needle = System.Text.Encoding.UTF8.GetBytes($"{Variable}={marker}\0");
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                if (File.ReadAllBytes(Path.Combine(directory, "environ")).AsSpan().IndexOf(needle) >= 0) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return found;
    }
}
