using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Supervisor.Protocol.Payloads;

namespace Supervisor.Tests.Protocol.Payloads;

/// <summary>The memory behind a connection's slots is the user's alone and has no name another process could open.</summary>
public sealed class SharedRegionTests
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    [UnsupportedOSPlatform("windows")]
    public void A_region_is_owner_only_and_nameless(bool memfd)
    {
        Skip.IfNot(SharedRegion.IsSupported, "No shared regions on this OS.");
        Skip.IfNot(OperatingSystem.IsLinux(), "A descriptor's file is read from /proc.");
        using var region = SharedRegion.Create(1024 * 1024, memfd);
        var descriptor = region.ChildHandle!;
        var file = new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget!;
        // A memfd never had a path; the fallback file was unlinked as soon as it was created.
        Assert.True(file.StartsWith("/memfd:supervisor-payloads", StringComparison.Ordinal) || file.EndsWith(" (deleted)", StringComparison.Ordinal), file);
        Assert.EndsWith(" (deleted)", file, StringComparison.Ordinal);
        using var borrowed = new SafeFileHandle(nint.Parse(descriptor, System.Globalization.CultureInfo.InvariantCulture), ownsHandle: false);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(borrowed));
        region.ReleaseChildHandle();
        Assert.False(File.Exists($"/proc/self/fd/{descriptor}") && new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget == file);
    }
}
