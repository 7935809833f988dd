using Microsoft.Win32.SafeHandles;

namespace Supervisor.Tests.Protocol.Serialization.Models;

/// <summary>A writer that keeps the OS handle of an open file: the classic thing that must not cross.</summary>
public sealed class FileWriter(SafeFileHandle handle)
{
    public SafeFileHandle Handle { get; } = handle;
}
