using System.Runtime.InteropServices;

namespace Supervisor.Worker;

/// <summary>
/// On Linux, asks the kernel to SIGKILL this worker when its supervisor dies (<c>PR_SET_PDEATHSIG</c>), which ends
/// it even if a user call has frozen the runtime so that the pipe thread cannot run. The end of the pipe covers
/// every platform and stays the main mechanism; this is a no-op elsewhere.
/// </summary>
/// <remarks>
/// The signal follows the death of the supervisor's thread that started this process, not of the whole process;
/// the supervisor starts workers from a thread that outlives them (see its <c>ProcessSpawner</c>).
/// </remarks>
internal static partial class ParentDeath
{
    private const int SetParentDeathSignal = 1; // PR_SET_PDEATHSIG
    private const int SigKill = 9;

    /// <summary>Arms the signal; false if the parent was already gone (the worker must end then).</summary>
    public static bool Arm()
    {
        if (!OperatingSystem.IsLinux()) return true;
        var parent = GetParentProcessId();
        if (SetProcessControl(SetParentDeathSignal, SigKill, 0, 0, 0) != 0) return true;
        // The parent may have died before the signal was armed, and would never send it: then this process was
        // adopted by another, and its parent changed.
        return GetParentProcessId() == parent;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int SetProcessControl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();
}
