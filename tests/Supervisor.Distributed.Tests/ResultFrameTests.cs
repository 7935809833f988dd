using MessagePack;
using Supervisor.Distributed.Client;
using Supervisor.Distributed.Wire;

namespace Supervisor.Distributed.Tests;

/// <summary>Result frames as a client reads them, without Redis: every outcome in its place, and a frame cut or garbled fails the calls it no longer answers.</summary>
public sealed class ResultFrameTests
{
    [Fact]
    public void Values_and_errors_are_read_in_their_places_by_the_callers_type()
    {
        var bytes = ResultFrame.Encode("task", "node-1", [4L, 0L, 300_000_000_000L],
            [null, new CallError(OutcomeKind.Failed, "System.InvalidOperationException", "refused", "at Refuse", "worker-2", 42), null]);

        var outcomes = OutcomeReader.Read<long>(ResultFrame.Decode(bytes), 10, 3);

        Assert.Equal([10, 11, 12], outcomes.Select(o => o.Index));
        Assert.Equal([4L, 300_000_000_000L], [outcomes[0].Value, outcomes[2].Value]);
        var error = Assert.IsType<RemoteTaskException>(outcomes[1].Error);
        Assert.Equal(("System.InvalidOperationException", "refused", "worker-2 on node node-1", 42), (error.RemoteType, error.RemoteMessage, error.WorkerName, error.ProcessId));
    }

    [Fact]
    public void A_value_not_of_the_callers_type_fails_its_call_and_a_garbled_outcome_fails_the_rest()
    {
        // Three outcomes: a long, a string where a long is expected, then a map where an outcome's array should be.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(4);
        writer.Write(1);
        writer.Write("task");
        writer.Write("node-1");
        writer.WriteArrayHeader(3);
        writer.WriteArrayHeader(2);
        writer.Write(0);
        writer.Write(5L);
        writer.WriteArrayHeader(2);
        writer.Write(0);
        writer.Write("five");
        writer.WriteMapHeader(0);
        writer.Flush();

        var outcomes = OutcomeReader.Read<long>(ResultFrame.Decode(buffer.WrittenMemory), 0, 3);

        Assert.Equal(5L, outcomes[0].Value);
        Assert.Contains("cannot be read as System.Int64", Assert.IsType<RemoteTaskException>(outcomes[1].Error).Message, StringComparison.Ordinal);
        Assert.Contains("The result frame from node node-1 is malformed", Assert.IsType<RemoteTaskException>(outcomes[2].Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_with_another_count_of_outcomes_fails_every_call_of_its_task()
    {
        var bytes = ResultFrame.Encode("task", "node-1", [1L, 2L], [null, null]);

        var outcomes = OutcomeReader.Read<long>(ResultFrame.Decode(bytes), 0, 3);

        Assert.All(outcomes, o => Assert.Contains("answered a task of 3 calls with 2 outcomes", o.Error!.Message, StringComparison.Ordinal));
    }
}
