using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Supervisor.Protocol.Framing;

/// <summary>
/// Cuts a stream into length-prefixed frames. The length is checked against the maximum before anything is
/// buffered for the frame, so a hostile length cannot drive an allocation.
/// </summary>
public sealed class FrameReader : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly int _maxFrameBytes;

    /// <summary>Reads frames from <paramref name="stream"/>, refusing any larger than <paramref name="maxFrameBytes"/>.</summary>
    public FrameReader(Stream stream, int maxFrameBytes = WireProtocol.DefaultMaxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        _maxFrameBytes = maxFrameBytes;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
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
        var read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var buffer = read.Buffer;
        var consumed = Drain(ref buffer, onFrame);
        if (read.IsCompleted && !buffer.IsEmpty)
        {
            var have = buffer.Length;
            _reader.AdvanceTo(consumed, buffer.End);
            throw new ProtocolException($"The stream ended inside a frame ({have} bytes of an incomplete frame were received).");
        }
        _reader.AdvanceTo(consumed, buffer.End);
        return !read.IsCompleted;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _reader.CompleteAsync();

    private SequencePosition Drain<THandler>(ref ReadOnlySequence<byte> buffer, THandler onFrame)
        where THandler : IFrameHandler
    {
        while (buffer.Length >= WireProtocol.FrameHeaderBytes)
        {
            var length = ReadLength(buffer);
            if (length == 0) throw new ProtocolException("A frame declared an empty payload; every frame holds one message.");
            if (length > (uint)_maxFrameBytes)
            {
                throw new ProtocolException(
                    $"A frame declared {length} bytes, more than the maximum frame size of {_maxFrameBytes} bytes.");
            }
            if (buffer.Length < WireProtocol.FrameHeaderBytes + length) break;
            var payload = buffer.Slice(WireProtocol.FrameHeaderBytes, length);
            onFrame.OnFrame(payload);
            buffer = buffer.Slice(payload.End);
        }
        return buffer.Start;
    }

    private static uint ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[WireProtocol.FrameHeaderBytes];
        buffer.Slice(0, WireProtocol.FrameHeaderBytes).CopyTo(header);
        return BinaryPrimitives.ReadUInt32LittleEndian(header);
    }
}
