using System.Buffers;
using MessagePack;
using Supervisor.Protocol;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Payloads;
using Supervisor.Tests.Support;
using Supervisor.Worker;

namespace Supervisor.Tests.Worker;

/// <summary>
/// The real worker host fed frames by hand: whatever a broken or hostile supervisor sends, the worker says what was
/// wrong and ends with the exit code that says why, never taking the protocol's fault for the supervisor's death.
/// </summary>
public sealed class HandFedWorkerTests
{
    [Fact]
    public async Task A_truncated_frame_body_is_a_protocol_error_not_the_supervisors_death()
    {
        await using var worker = new HandFedWorker();
        await ReceiveHelloAsync(worker);
        // The envelope promises a Task's five fields; the frame ends after the first.
        worker.Send(static (ref MessagePackWriter w) =>
        {
            Envelope.WriteHeader(ref w, MessageKind.Task, 5);
            w.Write(1L);
        });
        Assert.Equal(WorkerExitCodes.ProtocolError, await worker.ExitCodeAsync());
        Assert.Contains("protocol error from the supervisor: a frame's body ended inside its message (truncated)", await worker.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("oversize")]
    [InlineData("unknown-kind")]
    [InlineData("hostile-count")]
    [InlineData("deep-nesting")]
    public async Task A_hostile_frame_ends_the_worker_as_a_protocol_error(string frame)
    {
        await using var worker = new HandFedWorker();
        await ReceiveHelloAsync(worker);
        switch (frame)
        {
            case "garbage":
                worker.SendBytes([0x05, 0x00, 0x00, 0x00, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1]); // 0xC1: never used in MessagePack
                break;
            case "oversize":
                worker.SendBytes([0xFF, 0xFF, 0xFF, 0x7F]); // a length of 2^31 - 1, far past the frame limit
                break;
            case "unknown-kind":
                worker.Send(static (ref MessagePackWriter w) =>
                {
                    w.WriteArrayHeader(1);
                    w.Write((byte)200);
                });
                break;
            case "hostile-count":
                // Inherit claiming 2^31 - 1 values and holding none: refused without allocating for them.
                worker.Send(static (ref MessagePackWriter w) =>
                {
                    Envelope.WriteHeader(ref w, MessageKind.Inherit, 2);
                    w.Write(3L);
                    w.WriteArrayHeader(int.MaxValue);
                });
                break;
            default:
                // A message nested 10,000 arrays deep in place of its envelope.
                worker.Send(static (ref MessagePackWriter w) =>
                {
                    for (var i = 0; i < 10_000; i++) w.WriteArrayHeader(1);
                    w.Write(1);
                });
                break;
        }
        Assert.Equal(WorkerExitCodes.ProtocolError, await worker.ExitCodeAsync());
        Assert.Contains("protocol error from the supervisor", await worker.Stderr, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(7, 16, "named shared-memory slot 7; this connection has slots 0 to 3")]
    [InlineData(-1, 16, "named shared-memory slot -1; this connection has slots 0 to 3")]
    [InlineData(0, 1_000_000, "A frame in shared-memory slot 0 declared 1000000 bytes; a slot holds 1 to 65536")]
    [InlineData(0, 0, "A frame in shared-memory slot 0 declared 0 bytes")]
    public async Task A_frame_naming_a_slot_outside_the_shared_memory_is_a_protocol_error(int slot, int length, string expected)
    {
        Skip.IfNot(SharedRegion.IsSupported, "No shared memory on this OS.");
        await using var worker = new HandFedWorker(sharedMemory: true);
        await ReceiveHelloAsync(worker);
        worker.Send((ref MessagePackWriter w) => new PayloadMessage(slot, length).Write(ref w));
        Assert.Equal(WorkerExitCodes.ProtocolError, await worker.ExitCodeAsync());
        Assert.Contains(expected, await worker.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_frame_in_shared_memory_naming_another_slot_is_a_protocol_error()
    {
        Skip.IfNot(SharedRegion.IsSupported, "No shared memory on this OS.");
        await using var worker = new HandFedWorker(sharedMemory: true);
        await ReceiveHelloAsync(worker);
        // A slot holding a frame that names a slot in its turn.
        var inner = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(inner);
        new PayloadMessage(1, 16).Write(ref writer);
        writer.Flush();
        Assert.True(worker.SharedSlots!.TryRent(inner.WrittenCount, out var lease));
        var slot = lease.Slot;
        using (lease) inner.WrittenSpan.CopyTo(lease.Bytes);
        worker.Send((ref MessagePackWriter w) => new PayloadMessage(slot, inner.WrittenCount).Write(ref w));
        Assert.Equal(WorkerExitCodes.ProtocolError, await worker.ExitCodeAsync());
        Assert.Contains("The frame in shared-memory slot 0 names a slot in its turn", await worker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_naming_a_slot_when_the_worker_has_no_shared_memory_is_a_protocol_error()
    {
        await using var worker = new HandFedWorker();
        await ReceiveHelloAsync(worker);
        worker.Send(static (ref MessagePackWriter w) => new PayloadMessage(0, 16).Write(ref w));
        Assert.Equal(WorkerExitCodes.ProtocolError, await worker.ExitCodeAsync());
        Assert.Contains("named shared-memory slot 0, but this worker has no shared memory", await worker.Stderr, StringComparison.Ordinal);
    }

    private static async Task ReceiveHelloAsync(HandFedWorker worker)
    {
        var hello = await worker.ReceiveAsync();
        Assert.NotNull(hello);
        var reader = new MessagePackReader(hello);
        Assert.Equal(MessageKind.Hello, Envelope.ReadHeader(ref reader));
    }
}
