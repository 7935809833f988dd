using MessagePack;
using Supervisor.Protocol.Serialization;
using Supervisor.Results;

namespace Supervisor.Tests.Results;

public sealed class StreamWindowSinkTests
{
    [Fact]
    public void In_order_an_outcome_that_overtook_the_next_one_waits_in_its_place_until_those_before_it_are_taken()
    {
        var sink = new StreamWindowSink<long>(ordered: true);
        Deliver(sink, 2, 20);
        Deliver(sink, 1, 10);
        Assert.False(sink.TryTake(out _));

        Deliver(sink, 0, 0);

        Assert.Equal([0L, 10, 20], TakeAll(sink).Select(o => o.Value));
        Assert.False(sink.TryTake(out _));
    }

    [Fact]
    public void In_order_the_ring_grows_for_an_outcome_far_ahead_and_keeps_every_place()
    {
        var sink = new StreamWindowSink<long>(ordered: true);
        // Places taken and freed first, so the ring has wrapped when it grows.
        for (var i = 0; i < 50; i++) Deliver(sink, i, i);
        Assert.Equal(50, TakeAll(sink).Count);
        for (var i = 1_000; i >= 51; i--) Deliver(sink, i, i);
        Assert.False(sink.TryTake(out _));

        Deliver(sink, 50, 50);

        Assert.Equal(Enumerable.Range(50, 951).Select(i => (long)i), TakeAll(sink).Select(o => o.Value));
    }

    [Fact]
    public void Unordered_outcomes_come_in_arrival_order_through_growth_and_wrap()
    {
        var sink = new StreamWindowSink<long>(ordered: false);
        for (var i = 0; i < 40; i++) Deliver(sink, i, i);
        Assert.Equal(40, TakeAll(sink).Count);
        var arrivals = Enumerable.Range(0, 300).Select(i => (i * 7) % 300).ToArray();
        foreach (var index in arrivals) Deliver(sink, index, index);

        Assert.Equal(arrivals, TakeAll(sink).Select(o => o.Index));
    }

    [Fact]
    public void A_failure_is_an_outcome_in_its_place_and_a_value_that_does_not_read_fails_its_call_alone()
    {
        var sink = new StreamWindowSink<long>(ordered: true);
        var error = new InvalidOperationException("remote");
        sink.OnFailure(1, error);
        var text = new MessagePackReader(MessagePackSerializer.Serialize("not a number", WireSerializer.Options));
        sink.OnResult(0, ref text);
        Deliver(sink, 2, 2);

        var outcomes = TakeAll(sink);

        Assert.IsType<RemoteTaskException>(outcomes[0].Error);
        Assert.Same(error, outcomes[1].Error);
        Assert.Equal((2, 2L, null), (outcomes[2].Index, outcomes[2].Value, outcomes[2].Error));
    }

    [Fact]
    public async Task In_order_a_wait_ends_with_the_next_call_s_outcome_not_with_a_later_one()
    {
        var sink = new StreamWindowSink<long>(ordered: true);
        var waiting = sink.WaitAsync();
        Deliver(sink, 1, 1);
        Assert.False(waiting.IsCompleted);

        Deliver(sink, 0, 0);

        await waiting;
        Assert.True(sink.TryTake(out var first));
        Assert.Equal(0, first.Index);
        Assert.True(sink.WaitAsync().IsCompleted);
    }

    [Fact]
    public async Task Unordered_a_wait_ends_with_any_outcome()
    {
        var sink = new StreamWindowSink<long>(ordered: false);
        var waiting = sink.WaitAsync();
        Assert.False(waiting.IsCompleted);

        Deliver(sink, 5, 5);

        await waiting;
        Assert.True(sink.TryTake(out var outcome));
        Assert.Equal(5, outcome.Index);
    }

    [Fact]
    public void An_outcome_of_a_call_already_taken_is_dropped()
    {
        var sink = new StreamWindowSink<long>(ordered: true);
        Deliver(sink, 0, 0);
        Assert.True(sink.TryTake(out _));

        Deliver(sink, 0, 99);

        Assert.False(sink.TryTake(out _));
    }

    private static void Deliver(StreamWindowSink<long> sink, int index, long value)
    {
        var reader = new MessagePackReader(MessagePackSerializer.Serialize(value, WireSerializer.Options));
        sink.OnResult(index, ref reader);
    }

    private static List<TaskOutcome<long>> TakeAll(StreamWindowSink<long> sink)
    {
        var taken = new List<TaskOutcome<long>>();
        while (sink.TryTake(out var outcome)) taken.Add(outcome);
        return taken;
    }
}
