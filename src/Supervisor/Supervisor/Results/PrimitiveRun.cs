using System.Runtime.CompilerServices;
using MessagePack;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Results;

/// <summary>
/// Reads a run of primitive results straight into a span of the caller's array: a few instructions a value from a
/// chunk's first run on, not a formatter call and a try each (see <see cref="PrimitiveCodec{T}"/>).
/// </summary>
internal static class PrimitiveRun
{
    /// <summary>
    /// Reads as many values as <paramref name="results"/> holds from <paramref name="values"/>, moving it past them;
    /// returns how many: none if <typeparamref name="T"/> is not a primitive or the run spans segments.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Take<T>(ref MessagePackReader values, Span<T> results)
    {
        if (!PrimitiveCodec<T>.IsSupported) return 0;
        var rest = values.Sequence.Slice(values.Position);
        if (!rest.IsSingleSegment) return 0;
        var bytes = rest.FirstSpan;
        var position = 0;
        var taken = 0;
        while (taken < results.Length && PrimitiveCodec<T>.TryRead(bytes, ref position, out results[taken])) taken++;
        if (taken > 0) values = new MessagePackReader(rest.Slice(position));
        return taken;
    }
}
