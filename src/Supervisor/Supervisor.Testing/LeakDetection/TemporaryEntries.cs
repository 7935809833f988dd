namespace Supervisor.Testing.LeakDetection;

/// <summary>
/// The shared-memory blocks and manager sockets in the temporary directory, and which of them this process holds.
/// The directory is shared with every process of the user, so on Linux an entry counts only while this process
/// maps the block (<c>/proc/self/maps</c>) or listens on the socket (its descriptors against
/// <c>/proc/net/unix</c>); elsewhere there is no such record and every new entry counts.
/// </summary>
internal static class TemporaryEntries
{
    public const string SharedMemoryPrefix = "supervisor-shared-";
    public const string ManagerPrefix = "supervisor-manager-";

    /// <summary>Every such directory there now.</summary>
    public static IEnumerable<string> All()
    {
        var temporary = Path.GetTempPath();
        return Directory.EnumerateDirectories(temporary, SharedMemoryPrefix + "*")
            .Concat(Directory.EnumerateDirectories(temporary, ManagerPrefix + "*"));
    }

    /// <summary>Whether a directory is this process's: on Linux, held open by it; elsewhere, assumed so.</summary>
    public static Func<string, bool> HeldByThisProcess()
    {
        if (!OperatingSystem.IsLinux()) return static _ => true;
        var held = new HashSet<string>(MappedFiles().Concat(ListeningSockets()).Select(Path.GetDirectoryName).OfType<string>(), StringComparer.Ordinal);
        return directory => held.Contains(Path.TrimEndingDirectorySeparator(directory));
    }

    // maps: "address perms offset dev inode   path"; the path is the sixth field and may hold spaces.
    private static IEnumerable<string> MappedFiles() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : "")
            .Where(path => path.Length > 0);

    private static IEnumerable<string> ListeningSockets()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var descriptor in Directory.EnumerateFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
            }
            catch (IOException)
            {
                // Closed while being read.
            }
        }
        // unix: "Num RefCount Protocol Flags Type St Inode Path"
        return File.ReadLines("/proc/net/unix").Skip(1)
            .Select(line => line.Split(' ', 8, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 8 && inodes.Contains(fields[6]))
            .Select(fields => fields[7]);
    }
}
