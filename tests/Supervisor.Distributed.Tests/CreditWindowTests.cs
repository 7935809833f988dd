using Supervisor.Distributed.Node;

namespace Supervisor.Distributed.Tests;

/// <summary>The node's credit window, without Redis: room taken, given back, and freed as runs end.</summary>
public sealed class CreditWindowTests
{
    [Fact]
    public async Task A_window_gives_its_floor_at_first_then_waits_until_a_run_ends()
    {
        var window = new CreditWindow(floor: 4, maximum: 64);

        Assert.Equal(4, await window.TakeAsync(CancellationToken.None));
        var next = window.TakeAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        window.RunEnded();

        Assert.InRange(await next, 1, 64);
    }

    [Fact]
    public async Task Room_no_task_took_is_given_back_and_the_floor_never_exceeds_the_maximum()
    {
        var window = new CreditWindow(floor: 4, maximum: 64);
        Assert.Equal(4, await window.TakeAsync(CancellationToken.None));
        window.Return(3);

        Assert.Equal(3, await window.TakeAsync(CancellationToken.None));
        Assert.Equal(2, new CreditWindow(floor: 4, maximum: 2).Size);
    }

    [Fact]
    public async Task A_wait_for_room_ends_with_its_token()
    {
        var window = new CreditWindow(floor: 1, maximum: 1);
        Assert.Equal(1, await window.TakeAsync(CancellationToken.None));
        using var stop = new CancellationTokenSource();
        var waiting = window.TakeAsync(stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
