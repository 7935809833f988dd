using Microsoft.Win32.SafeHandles;

namespace UserFunctions;

/// <summary>Holds an open OS file handle, as rasterio's DatasetWriter does.</summary>
public sealed class DatasetWriter
{
    public DatasetWriter(string path) => Handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write);

    public SafeFileHandle Handle { get; }
}
