using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Supervisor.Transport;

/// <summary>
/// Widens a pipe's kernel buffer where the OS allows it (Linux: <c>F_SETPIPE_SZ</c>). With the default 64 KiB a
/// 1 MiB frame crosses in sixteen rounds of write, wake-up and read; with 1 MiB in one. Elsewhere, or when the
/// system's <c>pipe-max-size</c> is lower, the pipe keeps its default size: only speed depends on it.
/// </summary>
internal static partial class PipeCapacity
{
    /// <summary>The size asked for: Linux's default <c>/proc/sys/fs/pipe-max-size</c> for unprivileged processes.</summary>
    public const int Bytes = 1024 * 1024;

    private const int SetPipeSize = 1031;

    /// <summary>Asks for <see cref="Bytes"/> of buffer on <paramref name="pipe"/>; a refusal is ignored.</summary>
    public static void Widen(PipeStream pipe)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        if (!OperatingSystem.IsLinux()) return;
        _ = SetSize((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, Bytes);
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SetSize(int fd, int command, int size);
}
