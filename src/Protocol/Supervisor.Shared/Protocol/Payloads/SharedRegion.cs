using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Supervisor.Protocol.Startup;

namespace Supervisor.Protocol.Payloads;

/// <summary>
/// Memory mapped by a supervisor and one worker and by no other process: it has no name anyone could open. On Linux
/// it is a <c>memfd</c>; elsewhere on Unix (macOS, the BSDs) a file created owner-only (0600, exclusive) in the user's
/// temporary directory and unlinked before the worker starts. The worker inherits its descriptor like the pipe ends,
/// maps it and closes the descriptor, so the memory goes when both processes have gone, however they end.
/// </summary>
/// <remarks>
/// A <see cref="SafeHandle"/> over the mapping's address: whoever reads or writes the memory holds a reference
/// (<see cref="SafeHandle.DangerousAddRef"/>), and the mapping is removed only after the last one lets go, so a
/// disposal racing a late read cannot unmap memory under it. Windows and 32-bit processes have no region: their
/// frames all cross the pipe (<see cref="IsSupported"/>).
/// </remarks>
internal sealed partial class SharedRegion : SafeHandle
{
    private const int ReadWrite = 3; // PROT_READ | PROT_WRITE
    private const int MapShared = 1; // MAP_SHARED, the same on Linux and macOS
    private const int SetDescriptorFlags = 2; // F_SETFD
    private const int PageBytes = 4096;

    // The descriptor the worker inherits, until the worker has it (supervisor side only).
    private SafeFileHandle? _forChild;

    private SharedRegion(nint address, long bytes, SafeFileHandle? forChild) : base(0, ownsHandle: true)
    {
        SetHandle(address);
        Bytes = bytes;
        _forChild = forChild;
    }

    /// <summary>Whether this OS and process can share a region (64-bit Unix).</summary>
    public static bool IsSupported => !OperatingSystem.IsWindows() && Environment.Is64BitProcess;

    /// <summary>The mapped length in bytes.</summary>
    public long Bytes { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == 0;

    /// <summary>The start of the mapping; valid while a reference is held.</summary>
    public unsafe byte* Start => (byte*)handle;

    /// <summary>
    /// The descriptor number a worker started now inherits, as its command line carries it. Null once
    /// <see cref="ReleaseChildHandle"/> ran.
    /// </summary>
    public string? ChildHandle => _forChild?.DangerousGetHandle().ToString(CultureInfo.InvariantCulture);

    /// <summary>Rounds <paramref name="bytes"/> up to whole pages, so that every part of a region starts on a page.</summary>
    public static long PageAligned(long bytes) => (bytes + PageBytes - 1) / PageBytes * PageBytes;

    /// <summary>
    /// Creates a zeroed region of <paramref name="bytes"/> (sparse: pages cost memory once touched) whose descriptor a
    /// worker started next inherits. Call it inside the start gate, as the pipes are created.
    /// </summary>
    /// <param name="bytes">The region's length.</param>
    /// <param name="memfd">Whether Linux uses a <c>memfd</c>; false makes the owner-only file other systems use.</param>
    /// <exception cref="IOException">The OS refused the memory or the mapping.</exception>
    public static SharedRegion Create(long bytes, bool memfd = true)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("Shared regions need a 64-bit Unix process.");
        var descriptor = CreateAnonymousFile(memfd);
        try
        {
            RandomAccess.SetLength(descriptor, bytes);
            return new SharedRegion(Map(descriptor, bytes), bytes, descriptor);
        }
        catch
        {
            descriptor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Maps the region a supervisor handed this worker as <paramref name="childHandle"/>, then closes the descriptor,
    /// so that processes the worker starts inherit nothing of it.
    /// </summary>
    /// <exception cref="IOException">The descriptor is not a region of <paramref name="bytes"/>, or cannot be mapped.</exception>
    public static SharedRegion Open(string childHandle, long bytes)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("Shared regions need a 64-bit Unix process.");
        if (!WorkerStartInfo.TryParseHandle(childHandle, out var number))
        {
            throw new IOException($"'{childHandle}' is no descriptor number for the shared region.");
        }
        using var descriptor = new SafeFileHandle(number, ownsHandle: true);
        var length = RandomAccess.GetLength(descriptor);
        // Touching a page past the file's end would kill the process (SIGBUS): the file must cover the whole mapping.
        if (length < bytes) throw new IOException($"The shared region (descriptor {number}) holds {length} bytes, not the {bytes} this worker was told of.");
        return new SharedRegion(Map(descriptor, bytes), bytes, forChild: null);
    }

    /// <summary>The worker has its copy of the descriptor now; keeping ours would hand it to the next process started.</summary>
    public void ReleaseChildHandle()
    {
        _forChild?.Dispose();
        _forChild = null;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Unmap(handle, (nuint)Bytes) == 0;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) ReleaseChildHandle();
        base.Dispose(disposing);
    }

    private static SafeFileHandle CreateAnonymousFile(bool memfd)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Shared regions need a 64-bit Unix process.");
        if (memfd && OperatingSystem.IsLinux()) return CreateMemfd();
        var path = Path.Combine(Path.GetTempPath(), "supervisor-payloads-" + Guid.NewGuid().ToString("N"));
        // Owner-only from its creation, and gone from the directory before any other process starts.
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }).SafeFileHandle;
        try
        {
            File.Delete(path);
            if (SetDescriptorFlag((int)file.DangerousGetHandle(), SetDescriptorFlags, 0) != 0)
            {
                throw new IOException($"Cannot make the shared region's descriptor inheritable: error {Marshal.GetLastPInvokeError()}.");
            }
            return file;
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }

    // Linux has no fallback to a file: in /dev/shm (a small tmpfs in many containers) or a full disk, touching a page the
    // file system cannot back kills the process (SIGBUS), where a memfd draws on memory like any allocation. Without a
    // memfd, large frames take the pipe.
    [SupportedOSPlatform("linux")]
    private static SafeFileHandle CreateMemfd()
    {
        int created;
        try
        {
            // No MFD_CLOEXEC: the worker started next inherits it, as it inherits the pipe ends.
            created = MemfdCreate("supervisor-payloads", 0);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new IOException("This C library has no memfd_create.", e);
        }
        if (created < 0) throw new IOException($"memfd_create failed: error {Marshal.GetLastPInvokeError()}.");
        var descriptor = new SafeFileHandle(created, ownsHandle: true);
        // Reachable only through a descriptor (or /proc, guarded as ptrace is), but owner-only all the same.
        File.SetUnixFileMode(descriptor, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return descriptor;
    }

    private static nint Map(SafeFileHandle descriptor, long bytes)
    {
        var address = MapMemory((nint)0, (nuint)bytes, ReadWrite, MapShared, (int)descriptor.DangerousGetHandle(), 0);
        if (address == -1) throw new IOException($"Cannot map a shared region of {bytes} bytes: error {Marshal.GetLastPInvokeError()}.");
        return address;
    }

    [LibraryImport("libc", EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint MapMemory(nint address, nuint length, int protection, int flags, int descriptor, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SetDescriptorFlag(int descriptor, int command, int flags);
}
