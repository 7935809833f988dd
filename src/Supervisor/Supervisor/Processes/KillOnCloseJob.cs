using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Supervisor.Processes;

/// <summary>
/// No orphans on Windows, as <c>PR_SET_PDEATHSIG</c> gives on Linux: every worker joins one Job Object with
/// kill-on-close, whose only handle this process holds. However this process ends, killed included, the OS closes that
/// handle and ends the workers with it. Elsewhere, and where a job cannot be made, it does nothing.
/// </summary>
internal static partial class KillOnCloseJob
{
    private const int ExtendedLimitInformationClass = 9;
    private const uint LimitKillOnJobClose = 0x2000;

    // One job for the life of this process: closing its handle is exactly what must happen only when the process ends.
    private static readonly Lazy<SafeFileHandle?> Job = new(Create);

    /// <summary>Puts the process <paramref name="processId"/> (just started) into the job; a process that already exited is left alone.</summary>
    public static void Assign(int processId)
    {
        if (!OperatingSystem.IsWindows() || Job.Value is not { } job) return;
        try
        {
            using var process = Process.GetProcessById(processId);
            // Failure leaves the worker as it was before jobs: it still exits when its pipe to this process ends.
            _ = AssignProcessToJobObject(job, process.SafeHandle);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }

    private static SafeFileHandle? Create()
    {
        var job = CreateJobObject(0, 0);
        if (job.IsInvalid)
        {
            job.Dispose();
            return null;
        }
        var limits = new ExtendedLimitInformation { BasicLimitInformation = new BasicLimitInformation { LimitFlags = LimitKillOnJobClose } };
        if (!SetInformationJobObject(job, ExtendedLimitInformationClass, ref limits, Marshal.SizeOf<ExtendedLimitInformation>()))
        {
            job.Dispose();
            return null;
        }
        return job;
    }

    [LibraryImport("kernel32.dll", EntryPoint = "CreateJobObjectW", SetLastError = true)]
    private static partial SafeFileHandle CreateJobObject(nint attributes, nint name);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetInformationJobObject(SafeFileHandle job, int informationClass, ref ExtendedLimitInformation information, int length);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool AssignProcessToJobObject(SafeFileHandle job, SafeProcessHandle process);

    // JOBOBJECT_BASIC_LIMIT_INFORMATION, as winnt.h lays it out.
    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public nuint MinimumWorkingSetSize;
        public nuint MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public nuint Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    // JOBOBJECT_EXTENDED_LIMIT_INFORMATION; the IO_COUNTERS inside it are six 64-bit counters.
    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimitInformation
    {
        public BasicLimitInformation BasicLimitInformation;
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
        public nuint ProcessMemoryLimit;
        public nuint JobMemoryLimit;
        public nuint PeakProcessMemoryUsed;
        public nuint PeakJobMemoryUsed;
    }
}
