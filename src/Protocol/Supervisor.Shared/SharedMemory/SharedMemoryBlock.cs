using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace Supervisor.SharedMemory;

/// <summary>
/// A file mapped into memory by every process that opens it, with a lock word in its header. The file lives in
/// a private temporary directory (named maps are Windows-only; a mapped file works on every OS), so any process
/// that is handed the path can map the same pages: a write in one is seen by the others at once.
/// </summary>
/// <remarks>
/// Layout: a 16-byte header (magic, lock owner, element size, length), then <c>length × element size</c> bytes of
/// data. The lock word holds the process id of its owner, or 0: a process killed while holding it (a worker
/// SIGKILLed in the middle of an update) is noticed by the next one waiting, which takes the lock over.
/// </remarks>
internal sealed unsafe class SharedMemoryBlock : IDisposable
{
    private const int Magic = 0x4D485356; // "VSHM" little-endian: a file this class wrote
    private const int MagicOffset = 0;
    private const int LockOffset = 4;
    private const int ElementSizeOffset = 8;
    private const int LengthOffset = 12;
    private const int HeaderBytes = 16;
    // Spins between two looks at whether the lock's owner is still alive (a look costs a process lookup).
    private const int SpinsPerOwnerCheck = 1024;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly bool _ownsFile;
    private bool _disposed;

    private SharedMemoryBlock(string path, MemoryMappedFile map, int length, int elementSize, bool ownsFile)
    {
        Path = path;
        Length = length;
        ElementSize = elementSize;
        _map = map;
        _ownsFile = ownsFile;
        _view = map.CreateViewAccessor(0, HeaderBytes + (long)length * elementSize, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _start = pointer + _view.PointerOffset;
    }

    /// <summary>The mapped file; what another process needs to open the block.</summary>
    public string Path { get; }

    /// <summary>How many elements the block holds.</summary>
    public int Length { get; }

    /// <summary>The size of one element in bytes.</summary>
    public int ElementSize { get; }

    /// <summary>Creates a zeroed block of <paramref name="length"/> elements in a new private temporary directory.</summary>
    public static SharedMemoryBlock Create(int length, int elementSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var bytes = HeaderBytes + (long)length * elementSize;
        var directory = Directory.CreateTempSubdirectory("supervisor-shared-");
        var path = System.IO.Path.Combine(directory.FullName, "block");
        // FileShare.Delete: the creator can remove the file while a worker still maps it.
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        file.SetLength(bytes);
        var map = MemoryMappedFile.CreateFromFile(file, null, bytes, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        var block = new SharedMemoryBlock(path, map, length, elementSize, ownsFile: true);
        block.WriteHeader(ElementSizeOffset, elementSize);
        block.WriteHeader(LengthOffset, length);
        block.WriteHeader(MagicOffset, Magic);
        return block;
    }

    /// <summary>Maps a block another process created, checking that it holds what the caller expects.</summary>
    /// <param name="path">The block's file, as the creator sent it.</param>
    /// <param name="length">The element count the sender announced.</param>
    /// <param name="elementSize">The element size the receiving type needs.</param>
    /// <param name="typeName">The receiving type, for messages, e.g. <c>SharedValue&lt;bool&gt;</c>.</param>
    /// <exception cref="InvalidDataException">The file is missing, is no shared block, or holds another element size or length.</exception>
    public static SharedMemoryBlock Open(string path, int length, int elementSize, string typeName)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InvalidDataException($"{typeName}: no shared memory at '{path}'; the process that created it disposed it (or ended) before this one opened it.", e);
        }
        if (file.Length != HeaderBytes + (long)length * elementSize)
        {
            var size = file.Length;
            file.Dispose();
            throw new InvalidDataException($"{typeName}: the shared memory at '{path}' is {size} bytes, not the {HeaderBytes + (long)length * elementSize} bytes of {length} elements of {elementSize} bytes.");
        }
        var map = MemoryMappedFile.CreateFromFile(file, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        var block = new SharedMemoryBlock(path, map, length, elementSize, ownsFile: false);
        try
        {
            block.Verify(typeName);
        }
        catch
        {
            block.Dispose();
            throw;
        }
        return block;
    }

    /// <summary>Element <paramref name="index"/>, read under the lock.</summary>
    public T Read<T>(int index) where T : unmanaged
    {
        Enter();
        try
        {
            return At<T>(index);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Sets element <paramref name="index"/> under the lock.</summary>
    public void Write<T>(int index, T value) where T : unmanaged
    {
        Enter();
        try
        {
            At<T>(index) = value;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Replaces element <paramref name="index"/> with <paramref name="update"/>(element) under the lock; returns the new element.</summary>
    public T Update<T>(int index, Func<T, T> update) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(update);
        Enter();
        try
        {
            ref var element = ref At<T>(index);
            element = update(element);
            return element;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>A copy of every element, taken under the lock.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        Enter();
        try
        {
            return Data<T>().ToArray();
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Copies <paramref name="values"/> in from the first element on, under the lock.</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        Enter();
        try
        {
            values.CopyTo(Data<T>());
        }
        finally
        {
            Exit();
        }
    }

    // Spins, then yields and sleeps; takes the lock over when its owner process has died.
    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ref var owner = ref *(int*)(_start + LockOffset);
        var self = Environment.ProcessId;
        var spinner = default(SpinWait);
        for (var spins = 1; ; spins++)
        {
            var holder = Interlocked.CompareExchange(ref owner, self, 0);
            if (holder == 0) return;
            if (spins % SpinsPerOwnerCheck == 0 && holder != self && !IsRunning(holder)
                && Interlocked.CompareExchange(ref owner, self, holder) == holder)
            {
                return;
            }
            spinner.SpinOnce();
        }
    }

    private void Exit() => Volatile.Write(ref *(int*)(_start + LockOffset), 0);

    /// <summary>Unmaps the block; the creator also deletes its file and directory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
        if (!_ownsFile) return;
        try
        {
            File.Delete(Path);
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Windows keeps a file that another process still maps; the OS's temp cleanup removes it later.
        }
    }

    private ref T At<T>(int index) where T : unmanaged
    {
        if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index), index, $"Must be in [0, {Length}).");
        return ref ((T*)(_start + HeaderBytes))[index];
    }

    private Span<T> Data<T>() where T : unmanaged => new(_start + HeaderBytes, Length);

    private void Verify(string typeName)
    {
        if (ReadHeader(MagicOffset) != Magic)
        {
            throw new InvalidDataException($"{typeName}: '{Path}' is not shared memory created by SharedValue or SharedArray.");
        }
        var size = ReadHeader(ElementSizeOffset);
        if (size != ElementSize)
        {
            throw new InvalidDataException($"{typeName}: the shared memory at '{Path}' holds elements of {size} bytes, but {typeName} needs {ElementSize}; declare the parameter with the element type the sender used.");
        }
        if (ReadHeader(LengthOffset) != Length)
        {
            throw new InvalidDataException($"{typeName}: the shared memory at '{Path}' holds {ReadHeader(LengthOffset)} elements, not {Length}.");
        }
    }

    private int ReadHeader(int offset) => Volatile.Read(ref *(int*)(_start + offset));

    private void WriteHeader(int offset, int value) => Volatile.Write(ref *(int*)(_start + offset), value);

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
