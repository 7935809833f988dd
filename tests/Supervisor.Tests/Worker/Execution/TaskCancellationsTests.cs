using Supervisor.Worker.Execution;

namespace Supervisor.Tests.Worker.Execution;

public sealed class TaskCancellationsTests
{
    [Fact]
    public void A_task_cancelled_before_it_starts_starts_cancelled_and_so_does_a_token_taken_then()
    {
        using var cancellations = new TaskCancellations();
        cancellations.Cancel(2);
        cancellations.Start(1);
        Assert.False(cancellations.IsCancelled);
        cancellations.End();

        cancellations.Start(2);
        Assert.True(cancellations.IsCancelled);
        Assert.True(cancellations.Token.IsCancellationRequested);
    }

    [Fact]
    public void Cancelling_the_running_task_fires_the_token_its_call_holds()
    {
        using var cancellations = new TaskCancellations();
        cancellations.Start(1);
        var token = cancellations.Token;
        using var fired = new ManualResetEventSlim();
        using var registration = token.Register(fired.Set);

        cancellations.Cancel(1);

        Assert.True(cancellations.IsCancelled);
        Assert.True(token.IsCancellationRequested);
        // The callbacks run on the thread pool, not on the canceller's thread: wait for them, bounded.
        Assert.True(fired.Wait(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_cancel_for_a_task_already_finished_changes_nothing()
    {
        using var cancellations = new TaskCancellations();
        cancellations.Start(5);
        cancellations.End();
        cancellations.Cancel(5);

        cancellations.Start(6);
        Assert.False(cancellations.IsCancelled);
        Assert.False(cancellations.Token.IsCancellationRequested);
    }
}
