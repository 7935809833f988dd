using System.Buffers;
using System.Buffers.Binary;

namespace Supervisor.Protocol.Framing;

/// <summary>
/// Cuts a stream into length-prefixed frames. The length is checked against the maximum before anything is
/// buffered for the frame, and the buffer grows only with bytes that actually arrived, so a hostile length
/// cannot drive an allocation.
/// </summary>
/// <remarks>
/// Reads go straight into one pooled buffer, so a frame that arrived whole is handed over without a copy.
/// A frame larger than 2 MiB gets a buffer of its own, not pooled, kept while large frames follow each other and
/// dropped once a smaller one comes: one huge frame does not hold its memory for the life of the connection.
/// <see cref="Read{THandler}"/> blocks its thread: a reader with a thread of its own wakes as soon as the
/// bytes arrive, without the hop through the I/O completion thread that an asynchronous read costs.
/// Not thread-safe: one reader per stream, one read at a time.
/// </remarks>
internal sealed class FrameReader : IAsyncDisposable, IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>
    /// The largest buffer kept between frames, a power of two so that every pooled buffer is at most this long
    /// and every larger one was allocated for one frame. Frames of 1 MiB (a large payload, read again and again)
    /// still reuse theirs.
    /// </summary>
    internal const int RetainedBufferBytes = 2 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly int _maxFrameBytes;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _start;
    private int _end;

    /// <summary>Reads frames from <paramref name="stream"/>, refusing any larger than <paramref name="maxFrameBytes"/>.</summary>
    public FrameReader(Stream stream, int maxFrameBytes = WireProtocol.DefaultMaxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        _stream = stream;
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>
    /// Waits for data and hands every complete frame that arrived to <paramref name="onFrame"/>, in order.
    /// The payload is only valid during the call. Returns false once the stream has ended cleanly
    /// (at a frame boundary).
    /// </summary>
    /// <exception cref="ProtocolException">A frame is empty, too large, or cut off by the end of the stream.</exception>
    public async ValueTask<bool> ReadAsync<THandler>(THandler onFrame, CancellationToken cancellationToken = default)
        where THandler : IFrameHandler
    {
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        return Arrived(read, onFrame);
    }

    /// <summary>The blocking form of <see cref="ReadAsync{THandler}"/>, for a reader with a thread of its own.</summary>
    /// <exception cref="ProtocolException">A frame is empty, too large, or cut off by the end of the stream.</exception>
    public bool Read<THandler>(THandler onFrame)
        where THandler : IFrameHandler
    {
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        return Arrived(read, onFrame);
    }

    /// <summary>How many bytes the buffer holds now: at most <see cref="RetainedBufferBytes"/> between large frames.</summary>
    internal int BufferBytes => _buffer.Length;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        Release(Interlocked.Exchange(ref _buffer, []));
    }

    private bool Arrived<THandler>(int read, THandler onFrame)
        where THandler : IFrameHandler
    {
        if (read == 0)
        {
            if (_end > _start)
            {
                throw new ProtocolException($"The stream ended inside a frame ({_end - _start} bytes of an incomplete frame were received).");
            }
            return false;
        }
        _end += read;
        while (_end - _start >= WireProtocol.FrameHeaderBytes)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start));
            if (length == 0) throw new ProtocolException("A frame declared an empty payload; every frame holds one message.");
            if (length > (uint)_maxFrameBytes)
            {
                throw new ProtocolException(
                    $"A frame declared {length} bytes, more than the maximum frame size of {_maxFrameBytes} bytes.");
            }
            var frameBytes = WireProtocol.FrameHeaderBytes + (int)length;
            if (_end - _start < frameBytes)
            {
                MakeRoom(frameBytes);
                return true;
            }
            onFrame.OnFrame(new ReadOnlySequence<byte>(_buffer, _start + WireProtocol.FrameHeaderBytes, (int)length));
            _start += frameBytes;
        }
        MakeRoom(WireProtocol.FrameHeaderBytes);
        return true;
    }

    /// <summary>Keeps the partial frame at the buffer's start, with room for more of it to arrive.</summary>
    private void MakeRoom(int frameBytes)
    {
        var partial = _end - _start;
        if (_buffer.Length < frameBytes && _buffer.Length - partial < InitialBufferBytes)
        {
            // Grow with what arrived, never to a declared length at once: at most double what is held.
            MoveTo(Math.Min(frameBytes, Math.Max(_buffer.Length * 2, InitialBufferBytes)), partial);
        }
        else if (_buffer.Length > RetainedBufferBytes && frameBytes <= RetainedBufferBytes)
        {
            // The large frame has been handed over and the next one is small: let its buffer go. Sized for the
            // whole next frame, which is no larger than what was held.
            MoveTo(Math.Max(frameBytes, InitialBufferBytes), partial);
        }
        else if (_start > 0 && (partial == 0 || _buffer.Length - _end < InitialBufferBytes / 4))
        {
            _buffer.AsSpan(_start, partial).CopyTo(_buffer);
        }
        else
        {
            return;
        }
        _start = 0;
        _end = partial;
    }

    private void MoveTo(int bytes, int partial)
    {
        // Pooled up to the retained size; a larger buffer serves one frame, and the pool would keep it alive.
        var next = bytes <= RetainedBufferBytes ? ArrayPool<byte>.Shared.Rent(bytes) : GC.AllocateUninitializedArray<byte>(bytes);
        _buffer.AsSpan(_start, partial).CopyTo(next);
        Release(_buffer);
        _buffer = next;
    }

    private static void Release(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= RetainedBufferBytes) ArrayPool<byte>.Shared.Return(buffer);
    }
}
