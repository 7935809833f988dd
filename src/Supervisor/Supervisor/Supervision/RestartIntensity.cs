namespace Supervisor.Supervision;

/// <summary>
/// Erlang/OTP's restart intensity: at most <c>maxRestarts</c> within <c>period</c>. On top of it, a backoff for
/// crash loops: a worker that dies before completing any task makes the next replacement wait, 10 ms doubling up
/// to 1 s; a worker that completed work before it died (killed from outside, a poison task) is replaced at once.
/// </summary>
internal sealed class RestartIntensity(int maxRestarts, TimeSpan period, TimeProvider clock)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly Queue<long> _recent = new();
    private int _fruitless;

    /// <summary>What one more restart now would meet: whether it is within the limit, and the backoff before it.</summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    public RestartOutlook Peek(bool madeProgress)
    {
        lock (_recent)
        {
            var now = clock.GetTimestamp();
            while (_recent.TryPeek(out var oldest) && clock.GetElapsedTime(oldest, now) > period) _recent.Dequeue();
            if (_recent.Count >= maxRestarts) return new RestartOutlook(false, TimeSpan.Zero);
            var fruitless = madeProgress ? 0 : _fruitless + 1;
            var backoff = fruitless > 1 ? TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(fruitless - 2, 20), MaxBackoff.Ticks)) : TimeSpan.Zero;
            return new RestartOutlook(true, backoff);
        }
    }

    /// <summary>Records a restart now.</summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    public void Record(bool madeProgress)
    {
        lock (_recent)
        {
            _recent.Enqueue(clock.GetTimestamp());
            _fruitless = madeProgress ? 0 : _fruitless + 1;
        }
    }
}
