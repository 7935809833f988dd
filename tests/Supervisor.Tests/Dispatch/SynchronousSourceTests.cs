using Supervisor.Dispatch;

namespace Supervisor.Tests.Dispatch;

public sealed class SynchronousSourceTests
{
    [Fact]
    public async Task Each_move_completes_at_once_with_the_sequence_s_next_item_then_false_at_its_end()
    {
        var source = new SynchronousSource<int>([1, 2]).GetAsyncEnumerator();

        var moves = new List<(bool Completed, bool Moved, int Current)>();
        for (var i = 0; i < 3; i++)
        {
            var move = source.MoveNextAsync();
            var completed = move.IsCompleted;
            var moved = await move;
            moves.Add((completed, moved, moved ? source.Current : 0));
        }

        Assert.Equal([(true, true, 1), (true, true, 2), (true, false, 0)], moves);
    }

    [Fact]
    public async Task Disposing_the_source_part_way_disposes_the_sequence()
    {
        var sequence = new DisposalWatch([1, 2, 3]);
        var source = new SynchronousSource<int>(sequence).GetAsyncEnumerator();
        Assert.True(await source.MoveNextAsync());

        await source.DisposeAsync();

        Assert.True(sequence.Disposed);
    }

    [Fact]
    public async Task The_sequence_s_exception_and_a_cancellation_come_out_of_the_move_not_before_it()
    {
        using var cancelled = new CancellationTokenSource();
        var failing = new SynchronousSource<int>(Failing()).GetAsyncEnumerator();
        var stopped = new SynchronousSource<int>([1]).GetAsyncEnumerator(cancelled.Token);
        await cancelled.CancelAsync();

        var failed = failing.MoveNextAsync();
        var cancelledMove = stopped.MoveNextAsync();

        Assert.Equal("source broke", (await Assert.ThrowsAsync<InvalidOperationException>(async () => await failed)).Message);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelledMove);
    }

    private static IEnumerable<int> Failing()
    {
        yield return Throw();
    }

    private static int Throw() => throw new InvalidOperationException("source broke");

    private sealed class DisposalWatch(IEnumerable<int> items) : IEnumerable<int>
    {
        public bool Disposed { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            // Left part way, an iterator's finally runs only when it is disposed.
            try
            {
                foreach (var item in items) yield return item;
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
