namespace Supervisor.Supervision;

/// <summary>
/// Erlang/OTP's restart intensity, for crash loops only: at most <c>maxRestarts</c> counted crashes within
/// <c>period</c>. A crash counts when the worker completed nothing and no task completed in the whole pool, neither
/// while it lived nor since the previous crash (a worker that cannot start, every call killing its worker, a loop that
/// begins after hours of good work); while tasks keep completing, workers are replaced without limit, even those
/// killed from outside before their first result (an operator or an OOM killer does not pick the old ones). Either
/// span alone misleads on a loaded machine: a crash is noticed late (its process reaped, its stderr read), so the
/// tasks completed meanwhile fall before it; a worker killed soon after its start may see none in its short life. On top of it, a backoff: workers that
/// die one after another without completing anything make the next replacement wait, 10 ms doubling up to 1 s; a
/// worker that completed work before it died is replaced at once.
/// </summary>
internal sealed class RestartIntensity(int maxRestarts, TimeSpan period, TimeProvider clock)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly Queue<long> _recent = new();
    private int _fruitless;
    // The pool's completed tasks at the previous crash, counted or not; the pool starts with none.
    private long _completedAtLastCrash;

    /// <summary>What one more restart now would meet: whether it counts, whether it is within the limit, and the backoff before it.</summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    /// <param name="completedAtStart">The pool's completed tasks when that worker started.</param>
    /// <param name="completed">The pool's completed tasks now.</param>
    public RestartOutlook Peek(bool madeProgress, long completedAtStart, long completed)
    {
        lock (_recent)
        {
            var poolProgressed = completed > Math.Min(completedAtStart, _completedAtLastCrash);
            var fruitless = madeProgress ? 0 : _fruitless + 1;
            var backoff = fruitless > 1 ? TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(fruitless - 2, 20), MaxBackoff.Ticks)) : TimeSpan.Zero;
            if (madeProgress || poolProgressed) return new RestartOutlook(true, backoff, Counts: false);
            var now = clock.GetTimestamp();
            while (_recent.TryPeek(out var oldest) && clock.GetElapsedTime(oldest, now) > period) _recent.Dequeue();
            if (_recent.Count >= maxRestarts) return new RestartOutlook(false, TimeSpan.Zero, Counts: true);
            return new RestartOutlook(true, backoff, Counts: true);
        }
    }

    /// <summary>Records a crash now, counted or not: the backoff of the next one follows from it.</summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    /// <param name="counts">Whether it counts toward the intensity (<see cref="RestartOutlook.Counts"/>).</param>
    /// <param name="completed">The pool's completed tasks now: the next crash's progress is measured from it too.</param>
    public void Record(bool madeProgress, bool counts, long completed)
    {
        lock (_recent)
        {
            _completedAtLastCrash = completed;
            _fruitless = madeProgress ? 0 : _fruitless + 1;
            if (counts) _recent.Enqueue(clock.GetTimestamp());
        }
    }
}
