using System.Runtime.InteropServices;

namespace Supervisor.Testing.LeakDetection;

/// <summary>Every process with its parent's id, from a Toolhelp snapshot (Windows has no /proc and no ps).</summary>
internal static partial class WindowsProcesses
{
    private const uint SnapshotProcesses = 0x2;
    private const int MaxPath = 260;

    public static List<(int, int, string)> Snapshot()
    {
        var snapshot = CreateToolhelp32Snapshot(SnapshotProcesses, 0);
        if (snapshot == -1) throw new InvalidOperationException($"The process list could not be read (error {Marshal.GetLastPInvokeError()}).");
        try
        {
            var processes = new List<(int, int, string)>();
            var entry = new ProcessEntry { Size = (uint)Marshal.SizeOf<ProcessEntry>() };
            for (var more = Process32First(snapshot, ref entry); more; more = Process32Next(snapshot, ref entry))
            {
                processes.Add(((int)entry.ProcessId, (int)entry.ParentProcessId, entry.ExecutableName));
            }
            return processes;
        }
        finally
        {
            CloseHandle(snapshot);
        }
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial nint CreateToolhelp32Snapshot(uint flags, uint processId);

    [LibraryImport("kernel32.dll", EntryPoint = "Process32FirstW")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool Process32First(nint snapshot, ref ProcessEntry entry);

    [LibraryImport("kernel32.dll", EntryPoint = "Process32NextW")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool Process32Next(nint snapshot, ref ProcessEntry entry);

    [LibraryImport("kernel32.dll")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CloseHandle(nint handle);

    // PROCESSENTRY32W.
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct ProcessEntry
    {
        public uint Size;
        public uint Usage;
        public uint ProcessId;
        public nint DefaultHeapId;
        public uint ModuleId;
        public uint Threads;
        public uint ParentProcessId;
        public int PriorityClassBase;
        public uint Flags;
        public fixed char ExeFile[MaxPath];

        public readonly string ExecutableName
        {
            get
            {
                fixed (char* name = ExeFile) return new string(name);
            }
        }
    }
}
