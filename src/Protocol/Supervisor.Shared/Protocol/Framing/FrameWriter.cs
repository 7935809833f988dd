using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Payloads;

namespace Supervisor.Protocol.Framing;

/// <summary>
/// Accumulates length-prefixed frames in one pooled buffer so that many frames leave in a single write.
/// Not thread-safe: each pipe has one writer, owned by one loop at a time.
/// </summary>
/// <remarks>
/// A frame is written as <see cref="BeginFrame"/>, MessagePack into this <see cref="IBufferWriter{T}"/>,
/// then <see cref="EndFrame"/>, which fills in the 4-byte little-endian length. <see cref="Rewind"/> drops a
/// frame that failed half-way (a result that could not be serialized), leaving the earlier frames intact.
/// Offsets and <see cref="Length"/> count attached bytes (<see cref="Attach"/>) as if they had been copied in.
/// With shared slots, a frame of <see cref="PayloadArena.SharedFromBytes"/> or more is moved into a free slot as it
/// ends, and a <see cref="PayloadMessage"/> naming the slot takes its place.
/// </remarks>
internal sealed class FrameWriter : IBufferWriter<byte>, IDisposable
{
    private const int ShrinkAboveBytes = 1024 * 1024;
    private const int SmallFlushesBeforeShrinking = 64;

    /// <summary>Bytes from which <see cref="Attach"/> keeps a reference instead of copying: one more write costs less than the copy.</summary>
    public const int AttachFromBytes = 64 * 1024;

    private readonly int _maxFrameBytes;
    private byte[] _buffer;
    private int _written;
    private int _smallFlushes;
    // Large byte ranges sent from where they are, in order, each at a position counted as in Length.
    private readonly List<(int At, ReadOnlyMemory<byte> Bytes)> _attached = [];
    private int _attachedBytes;
    private readonly OutboundSlots? _sharedSlots;

    /// <summary>
    /// Creates a writer whose frames may not exceed <paramref name="maxFrameBytes"/> of payload, moving large ones into
    /// <paramref name="sharedSlots"/> when given.
    /// </summary>
    public FrameWriter(int maxFrameBytes = WireProtocol.DefaultMaxFrameBytes, int initialCapacity = 64 * 1024, OutboundSlots? sharedSlots = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        _maxFrameBytes = maxFrameBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
        _sharedSlots = sharedSlots;
    }

    /// <summary>Bytes written and not yet sent, frame headers and attached bytes included.</summary>
    public int Length => _written + _attachedBytes;

    /// <summary>Writes <paramref name="message"/> as one frame: the one way every whole message is framed.</summary>
    /// <exception cref="ProtocolException">The message is larger than the maximum frame size; nothing of it stays.</exception>
    public void Write<TMessage>(in TMessage message) where TMessage : struct, IFrameMessage
    {
        var start = BeginFrame();
        var writer = new MessagePackWriter(this);
        message.Write(ref writer);
        writer.Flush();
        EndFrame(start);
    }

    /// <summary>Reserves the header of a new frame and returns its offset, to be passed to <see cref="EndFrame"/>.</summary>
    public int BeginFrame()
    {
        var start = Length;
        GetSpan(WireProtocol.FrameHeaderBytes);
        _written += WireProtocol.FrameHeaderBytes;
        return start;
    }

    /// <summary>
    /// Completes the frame begun at <paramref name="frameStart"/> by writing its length, or moves it into a shared slot
    /// (see the remarks). Nothing of the frame may change after this.
    /// </summary>
    /// <exception cref="ProtocolException">The payload is larger than the maximum frame size.</exception>
    public void EndFrame(int frameStart)
    {
        var payload = Length - frameStart - WireProtocol.FrameHeaderBytes;
        if (payload > _maxFrameBytes)
        {
            Rewind(frameStart);
            throw new ProtocolException(
                $"A frame of {payload} bytes exceeds the maximum frame size of {_maxFrameBytes} bytes; " +
                "send smaller values or raise the maximum frame size in the options.");
        }
        if (payload >= PayloadArena.SharedFromBytes && _sharedSlots is { } slots && slots.TryRent(payload, out var lease))
        {
            int slot;
            using (lease)
            {
                CopyOut(frameStart + WireProtocol.FrameHeaderBytes, lease.Bytes);
                slot = lease.Slot;
            }
            Rewind(frameStart);
            Write(new PayloadMessage(slot, payload));
            return;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(BufferOffset(frameStart)), (uint)payload);
    }

    /// <summary>The bytes written at <paramref name="offset"/>, to fill in a placeholder of a frame not yet sent.</summary>
    public Span<byte> Written(int offset, int length)
    {
        // Offsets count attached bytes, as Length does; the buffer holds only the copied ones.
        var at = BufferOffset(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(at + length, _written);
        return _buffer.AsSpan(at, length);
    }

    /// <summary>Drops everything written since <paramref name="frameStart"/>.</summary>
    public void Rewind(int frameStart)
    {
        while (_attached.Count > 0 && _attached[^1].At >= frameStart)
        {
            _attachedBytes -= _attached[^1].Bytes.Length;
            _attached.RemoveAt(_attached.Count - 1);
        }
        _written = BufferOffset(frameStart);
    }

    /// <summary>Copies raw bytes, such as arguments serialized earlier, into the current frame.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _written += bytes.Length;
    }

    /// <summary>
    /// Adds <paramref name="bytes"/> to the current frame. From <see cref="AttachFromBytes"/> on they are not
    /// copied but written from where they are at the next flush, so they must not change until then.
    /// </summary>
    public void Attach(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length < AttachFromBytes)
        {
            Write(bytes.Span);
            return;
        }
        _attached.Add((Length, bytes));
        _attachedBytes += bytes.Length;
    }

    /// <summary>Sends every complete frame, in one write unless bytes were attached, and empties the buffer.</summary>
    public async ValueTask FlushToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        if (Length == 0) return;
        var sent = 0;
        var attachedBefore = 0;
        foreach (var (at, bytes) in _attached)
        {
            var until = at - attachedBefore;
            await stream.WriteAsync(_buffer.AsMemory(sent, until - sent), cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            sent = until;
            attachedBefore += bytes.Length;
        }
        await stream.WriteAsync(_buffer.AsMemory(sent, _written - sent), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Reset();
    }

    /// <summary>The blocking form of <see cref="FlushToAsync"/>.</summary>
    public void FlushTo(Stream stream)
    {
        if (Length == 0) return;
        var sent = 0;
        var attachedBefore = 0;
        foreach (var (at, bytes) in _attached)
        {
            var until = at - attachedBefore;
            stream.Write(_buffer, sent, until - sent);
            stream.Write(bytes.Span);
            sent = until;
            attachedBefore += bytes.Length;
        }
        stream.Write(_buffer, sent, _written - sent);
        stream.Flush();
        Reset();
    }

    /// <summary>Forgets everything written so far.</summary>
    public void Reset()
    {
        // A burst of large frames must not pin a large buffer for the life of the pipe, but a steady stream of
        // them must not grow it again for every frame: it shrinks after many flushes that used little of it.
        if (_buffer.Length > ShrinkAboveBytes && _written < _buffer.Length / 4)
        {
            if (++_smallFlushes == SmallFlushesBeforeShrinking)
            {
                _written = 0;
                _smallFlushes = 0;
                Replace(64 * 1024);
            }
        }
        else
        {
            _smallFlushes = 0;
        }
        _written = 0;
        _attached.Clear();
        _attachedBytes = 0;
    }

    /// <inheritdoc />
    public void Advance(int count) => _written += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        _attached.Clear();
        _attachedBytes = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    // Copies what was written from position `from` to the end, attached bytes included, into target.
    private void CopyOut(int from, Span<byte> target)
    {
        var position = from;
        var at = BufferOffset(from);
        foreach (var (attachedAt, bytes) in _attached)
        {
            if (attachedAt < from) continue;
            var copied = attachedAt - position;
            _buffer.AsSpan(at, copied).CopyTo(target);
            bytes.Span.CopyTo(target[copied..]);
            target = target[(copied + bytes.Length)..];
            at += copied;
            position = attachedAt + bytes.Length;
        }
        _buffer.AsSpan(at, _written - at).CopyTo(target);
    }

    // Where a position counted in Length lies in the buffer: attached bytes before it are not there.
    private int BufferOffset(int position)
    {
        var offset = position;
        foreach (var (at, bytes) in _attached)
        {
            if (at >= position) break;
            offset -= bytes.Length;
        }
        return offset;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 256);
        if (needed <= _buffer.Length) return;
        Replace(Math.Max(needed, _buffer.Length * 2));
    }

    private void Replace(int capacity)
    {
        var next = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _written).CopyTo(next);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
