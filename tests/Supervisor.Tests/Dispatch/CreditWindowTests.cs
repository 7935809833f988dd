using Supervisor.Dispatch;

namespace Supervisor.Tests.Dispatch;

public sealed class CreditWindowTests
{
    [Fact]
    public void A_worker_holding_nothing_takes_a_task_of_any_size()
    {
        var window = new CreditWindow(maximumTasks: 64);
        Assert.Equal(int.MaxValue, window.Room);
        window.Take(25_000);
        Assert.Equal(0, window.Room);
    }

    [Fact]
    public void The_window_follows_the_measured_time_per_call()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(100);
        // 100 calls of 20 µs: 2,000 µs of queued work is 100 calls, plus the one that runs.
        window.Return(100, 0, 2_000);
        window.Take(1);
        Assert.Equal(CreditWindowSize(20) - 1, window.Room);
    }

    [Fact]
    public void A_worker_wants_one_call_until_its_calls_are_measured_then_the_window_less_what_it_holds()
    {
        var window = new CreditWindow(maximumTasks: 64);
        Assert.Equal(1, window.Wanted);
        window.Take(100);
        window.Return(100, 0, 2_000);
        Assert.Equal(CreditWindowSize(20), window.Wanted);
        window.Take(5);
        Assert.Equal(CreditWindowSize(20) - 5, window.Wanted);
    }

    [Fact]
    public void A_chunk_larger_than_the_room_waits_until_the_worker_holds_nothing()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(10);
        window.Return(10, 0, 10); // 1 µs a call: room for 2,001.
        window.Take(100);
        var chunk = window.WaitForRoomAsync(25_000, CancellationToken.None);
        Assert.False(chunk.IsCompleted);
        window.Return(100, 0, 100);
        Assert.True(chunk.IsCompletedSuccessfully);
    }

    [Fact]
    public void Once_full_the_sender_wakes_when_half_the_window_is_free()
    {
        var window = new CreditWindow(maximumTasks: 4);
        window.Take(1);
        window.Return(1, 0, 1); // 1 µs a call: the task limit (4) binds first.
        for (var i = 0; i < 4; i++) window.Take(1);
        var room = window.WaitForRoomAsync(1, CancellationToken.None);
        Assert.False(room.IsCompleted);
        window.Return(1, 0, 1);
        Assert.False(room.IsCompleted);
        window.Return(1, 0, 1);
        Assert.True(room.IsCompletedSuccessfully);
    }

    [Fact]
    public void No_more_tasks_than_the_maximum_however_short_the_calls()
    {
        var window = new CreditWindow(maximumTasks: 2);
        window.Take(1);
        window.Return(1, 0, 0);
        window.Take(1);
        window.Take(1);
        Assert.Equal(0, window.Room);
    }

    [Fact]
    public void Beyond_two_tasks_the_bytes_in_flight_bound_the_window()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(1);
        window.Return(1, 0, 1);
        window.Take(1);
        window.Charge(1024 * 1024);
        Assert.True(window.Room > 0);
        window.Take(1);
        window.Charge(1024 * 1024);
        Assert.Equal(0, window.Room);
        window.Return(1, 1024 * 1024, 1);
        Assert.True(window.Room > 0);
    }

    [Fact]
    public void A_busy_worker_gets_new_tasks_with_its_next_result()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(CreditWindow.BusyCalls);
        window.MarkSent();
        var gathered = window.WaitWhileBusyAsync(CancellationToken.None);
        Assert.False(gathered.IsCompleted);
        window.Return(1, 0, 1);
        Assert.True(gathered.IsCompletedSuccessfully);
        // A result came after the last write: what waits now leaves at once.
        Assert.True(window.WaitWhileBusyAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void A_worker_with_only_its_running_call_gets_new_tasks_at_once()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(CreditWindow.BusyCalls - 1);
        window.MarkSent();
        Assert.True(window.WaitWhileBusyAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void Waiting_for_a_busy_worker_can_be_cancelled()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(CreditWindow.BusyCalls);
        window.MarkSent();
        using var cancel = new CancellationTokenSource();
        var gathered = window.WaitWhileBusyAsync(cancel.Token);
        cancel.Cancel();
        Assert.True(gathered.IsCanceled);
    }

    [Fact]
    public void A_task_sent_alone_leaves_no_room_until_the_worker_holds_nothing()
    {
        var window = new CreditWindow(maximumTasks: 64);
        window.Take(1);
        window.Return(1, 0, 1); // 1 µs a call: room for 2,001.
        window.Take(1, alone: true);
        Assert.Equal(0, window.Room);
        window.Return(1, 0, 1);
        Assert.Equal(int.MaxValue, window.Room);
        window.Take(1);
        Assert.True(window.Room > 0);
    }

    private static int CreditWindowSize(double microsecondsPerCall) =>
        (int)(1 + (CreditWindow.TargetQueuedMicroseconds / microsecondsPerCall));
}
