namespace Supervisor.Supervision;

/// <summary>
/// Erlang/OTP's restart intensity, for crash loops only: at most <c>maxRestarts</c> counted crashes within
/// <c>period</c>. A crash counts when the worker died before completing any task, or when no task completed in the
/// whole pool since the last counted crash; while tasks keep completing (workers killed from outside now and then),
/// workers are replaced without limit. On top of it, a backoff: a worker that dies before completing any task makes
/// the next replacement wait, 10 ms doubling up to 1 s; a worker that completed work before it died is replaced at once.
/// </summary>
internal sealed class RestartIntensity(int maxRestarts, TimeSpan period, TimeProvider clock)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly Queue<long> _recent = new();
    private int _fruitless;
    // The pool's completed tasks when the last counted crash was recorded; the pool starts with none.
    private long _completedAtLastCount;

    /// <summary>What one more restart now would meet: whether it counts, whether it is within the limit, and the backoff before it.</summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    /// <param name="completedTasks">How many tasks the whole pool completed so far.</param>
    public RestartOutlook Peek(bool madeProgress, long completedTasks)
    {
        lock (_recent)
        {
            if (madeProgress && completedTasks != _completedAtLastCount) return new RestartOutlook(true, TimeSpan.Zero, Counts: false);
            var now = clock.GetTimestamp();
            while (_recent.TryPeek(out var oldest) && clock.GetElapsedTime(oldest, now) > period) _recent.Dequeue();
            if (_recent.Count >= maxRestarts) return new RestartOutlook(false, TimeSpan.Zero, Counts: true);
            var fruitless = madeProgress ? 0 : _fruitless + 1;
            var backoff = fruitless > 1 ? TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(fruitless - 2, 20), MaxBackoff.Ticks)) : TimeSpan.Zero;
            return new RestartOutlook(true, backoff, Counts: true);
        }
    }

    /// <summary>Records a counted crash now.</summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    /// <param name="completedTasks">How many tasks the whole pool completed so far.</param>
    public void Record(bool madeProgress, long completedTasks)
    {
        lock (_recent)
        {
            _completedAtLastCount = completedTasks;
            _recent.Enqueue(clock.GetTimestamp());
            _fruitless = madeProgress ? 0 : _fruitless + 1;
        }
    }
}
