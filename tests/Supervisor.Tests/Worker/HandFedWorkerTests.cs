using MessagePack;
using Supervisor.Protocol;
using Supervisor.Protocol.Messages;
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

    private static async Task ReceiveHelloAsync(HandFedWorker worker)
    {
        var hello = await worker.ReceiveAsync();
        Assert.NotNull(hello);
        var reader = new MessagePackReader(hello);
        Assert.Equal(MessageKind.Hello, Envelope.ReadHeader(ref reader));
    }
}
