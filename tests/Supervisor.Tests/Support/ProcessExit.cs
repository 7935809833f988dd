using System.Runtime.InteropServices;

namespace Supervisor.Tests.Support;

/// <summary>
/// Waits for a process that is not this one's child (a worker whose launcher was killed) to exit, through a pidfd:
/// the kernel wakes the wait, nothing polls a clock. It counts a zombie as exited, which Process.HasExited does not
/// for a process adopted by an init that never reaps it. Linux 5.3 and later.
/// </summary>
public static partial class ProcessExit
{
    private const int PidfdOpen = 434; // The same syscall number on every architecture.
    private const int NoSuchProcess = 3; // ESRCH
    private const short Readable = 1; // POLLIN

    /// <summary>True once the process has exited; false if it is still running after <paramref name="limit"/>.</summary>
    public static Task<bool> WaitAsync(int processId, TimeSpan limit) => Task.Run(() =>
    {
        var pidfd = (int)Syscall(PidfdOpen, processId, 0);
        if (pidfd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == NoSuchProcess ? true : throw new InvalidOperationException($"pidfd_open({processId}) failed with errno {error}.");
        }
        try
        {
            var wait = new PollDescriptor { Descriptor = pidfd, Events = Readable };
            return Poll(ref wait, 1, (int)limit.TotalMilliseconds) == 1;
        }
        finally
        {
            _ = Close(pidfd);
        }
    });

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint first, nint second);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
