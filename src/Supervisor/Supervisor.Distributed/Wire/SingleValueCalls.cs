using System.Collections;
using MessagePack;
using System.Runtime.CompilerServices;

namespace Supervisor.Distributed.Wire;

/// <summary>
/// The calls of a task whose every call is one positional value (a map's chunk, a lone call of one argument), kept as
/// the bounds of each value in the frame's own bytes: a chunk's values are read straight from there by their
/// parameter's type, with no object per call. As a list it gives each call as an <see cref="EncodedCall"/>.
/// </summary>
internal sealed class SingleValueCalls : IReadOnlyList<EncodedCall>
{
    // The three headers of a call of one positional value, as MessagePackWriter writes them: fixarray 2, 0, fixarray 1.
    private static ReadOnlySpan<byte> CallHead => [0x92, 0x00, 0x91];

    private readonly ReadOnlyMemory<byte> _frame;
    // Value i is _frame[_bounds[2i].._bounds[2i + 1]]: one complete MessagePack value, skipped over when read.
    private readonly int[] _bounds;

    private SingleValueCalls(ReadOnlyMemory<byte> frame, int[] bounds)
    {
        _frame = frame;
        _bounds = bounds;
    }

    /// <summary>The head of each such call, written before its value.</summary>
    public static ReadOnlySpan<byte> Head => CallHead;

    /// <summary>
    /// Reads <paramref name="count"/> calls from <paramref name="start"/> in <paramref name="frame"/> if every one is
    /// <c>[0, [value]]</c>, each value skipped over (so known to be one well-formed value); else null. <paramref name="end"/>
    /// is where the calls end.
    /// </summary>
    /// <exception cref="MessagePackSerializationException">A value is malformed.</exception>
    /// <exception cref="EndOfStreamException">The frame ends inside a call.</exception>
    /// <remarks>Compiled optimized at once: it runs once per chunk over every value, so tiering would leave a first map in tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SingleValueCalls? TryRead(ReadOnlyMemory<byte> frame, int start, int count, out int end)
    {
        end = start;
        // Such a call takes more than its three header bytes: bounds are allocated only for as many calls as the bytes can hold.
        if (count > (frame.Length - start) / CallHead.Length) return null;
        var bytes = frame.Span;
        var bounds = new int[2 * count];
        var position = start;
        for (var i = 0; i < count; i++)
        {
            if (!bytes[position..].StartsWith(CallHead)) return null;
            position += CallHead.Length;
            bounds[2 * i] = position;
            position += ValueLength(frame, position);
            bounds[(2 * i) + 1] = position;
        }
        end = position;
        return new SingleValueCalls(frame, bounds);
    }

    /// <summary>The length of the value at <paramref name="position"/>: a scalar's from its first byte, anything else skipped by MessagePack's reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ValueLength(ReadOnlyMemory<byte> frame, int position)
    {
        var bytes = frame.Span;
        if (position >= bytes.Length) throw new EndOfStreamException("the frame ends inside a call");
        var length = bytes[position] switch
        {
            <= 0x7f or >= 0xe0 or 0xc0 or 0xc2 or 0xc3 => 1, // fixint, negative fixint, nil, false, true
            0xcc or 0xd0 => 2, // uint8, int8
            0xcd or 0xd1 => 3, // uint16, int16
            0xce or 0xd2 or 0xca => 5, // uint32, int32, float32
            0xcf or 0xd3 or 0xcb => 9, // uint64, int64, float64
            >= 0xa0 and <= 0xbf => 1 + (bytes[position] & 0x1f), // fixstr
            _ => 0,
        };
        if (length == 0)
        {
            var reader = new MessagePackReader(frame[position..]);
            reader.Skip();
            return (int)reader.Consumed;
        }
        return position + length <= bytes.Length ? length : throw new EndOfStreamException("the frame ends inside a value");
    }

    /// <inheritdoc />
    public int Count => _bounds.Length / 2;

    /// <summary>The bytes of call <paramref name="index"/>'s one value.</summary>
    public ReadOnlyMemory<byte> Value(int index) => _frame[_bounds[2 * index].._bounds[(2 * index) + 1]];

    /// <inheritdoc />
    public EncodedCall this[int index] => new([Value(index)], null);

    /// <inheritdoc />
    public IEnumerator<EncodedCall> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
