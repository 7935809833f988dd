using System.Diagnostics;

namespace HostingFunctions;

/// <summary>What user code in a worker sees of the caller's trace.</summary>
public static class Traces
{
    /// <summary>"trace id/parent span id" of <see cref="Activity.Current"/>, or "none".</summary>
    public static string Current(int ignored) =>
        Activity.Current is { } activity ? $"{activity.TraceId.ToHexString()}/{activity.ParentSpanId.ToHexString()}" : "none";
}
