using System.Runtime.InteropServices;

namespace Supervisor.Worker.Transport;

/// <summary>
/// Keeps the worker's pipe ends out of the processes user code starts. The supervisor passes them inheritable, as it
/// must; once the worker holds them they are made close-on-exec (not inheritable on Windows). Otherwise a grandchild
/// that outlives its call holds the ends open, and the worker's death shows as the end of its pipe only when the
/// grandchild exits.
/// </summary>
internal static partial class PipeInheritance
{
    private const int SetDescriptorFlags = 2; // F_SETFD, the same on Linux and macOS
    private const int CloseOnExec = 1; // FD_CLOEXEC
    private const uint HandleFlagInherit = 1; // HANDLE_FLAG_INHERIT

    /// <summary>Stops children started from now on from inheriting <paramref name="handle"/>.</summary>
    /// <exception cref="IOException">The OS refused.</exception>
    public static void KeepFromChildren(SafeHandle handle)
    {
        var ok = OperatingSystem.IsWindows()
            ? SetHandleInformation(handle, HandleFlagInherit, 0)
            : SetDescriptorFlag((int)handle.DangerousGetHandle(), SetDescriptorFlags, CloseOnExec) == 0;
        if (!ok) throw new IOException($"Cannot make the pipe handle {handle.DangerousGetHandle()} close-on-exec: error {Marshal.GetLastPInvokeError()}.");
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SetDescriptorFlag(int descriptor, int command, int flags);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetHandleInformation(SafeHandle handle, uint mask, uint flags);
}
