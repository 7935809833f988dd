using System.Buffers;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Sharing;

namespace Supervisor.Tests.Sharing;

/// <summary>The manager's socket speaks the task wire's envelope: each frame names its kind, and another kind is refused.</summary>
public sealed class SharingWireTests
{
    [Fact]
    public void A_request_and_a_response_come_back_as_written()
    {
        var request = new SharingRequest(SharingOperation.Put, 7, 250, [1, 2, 3]);
        var (id, read) = SharingWire.ReadRequest(Frame(new ManagerRequestMessage(42, request)));
        Assert.Equal(42, id);
        Assert.Equal((request.Operation, request.ObjectId, request.TimeoutMilliseconds), (read.Operation, read.ObjectId, read.TimeoutMilliseconds));
        Assert.Equal(request.Payload, read.Payload);

        var (answered, response) = SharingWire.ReadResponse(Frame(new ManagerResponseMessage(42, SharingResponse.Of(SharingStatus.Full))));
        Assert.Equal(42, answered);
        Assert.Equal(SharingStatus.Full, response.Status);
        Assert.Null(response.Payload);
    }

    [Fact]
    public void A_request_where_the_hello_belongs_is_refused_naming_both_kinds()
    {
        var frame = Frame(new ManagerRequestMessage(1, new SharingRequest(SharingOperation.Count, 1, 0, [])));
        var error = Assert.Throws<ProtocolException>(() => SharingWire.ReadHello(frame));
        Assert.Equal("A manager's socket carried a ManagerRequest message where a ManagerHello was expected.", error.Message);
    }

    // The payload of the one frame a message makes: what a reader hands to SharingWire.
    private static ReadOnlySequence<byte> Frame<TMessage>(TMessage message) where TMessage : struct, IFrameMessage
    {
        using var frames = new FrameWriter(1 << 20);
        frames.Write(message);
        using var stream = new MemoryStream();
        frames.FlushTo(stream);
        return new ReadOnlySequence<byte>(stream.ToArray().AsMemory(4));
    }
}
