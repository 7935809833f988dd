namespace Supervisor.Dispatch;

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

    /// <summary>
    /// Records a restart now; false when it is one too many within the period, else the backoff to wait before
    /// starting the replacement.
    /// </summary>
    /// <param name="madeProgress">Whether the worker that died had completed at least one task.</param>
    /// <param name="backoff">How long to wait before starting the replacement.</param>
    public bool TryRecord(bool madeProgress, out TimeSpan backoff)
    {
        lock (_recent)
        {
            var now = clock.GetTimestamp();
            while (_recent.TryPeek(out var oldest) && clock.GetElapsedTime(oldest, now) > period) _recent.Dequeue();
            backoff = TimeSpan.Zero;
            if (_recent.Count >= maxRestarts) return false;
            _recent.Enqueue(now);
            _fruitless = madeProgress ? 0 : _fruitless + 1;
            if (_fruitless > 1) backoff = TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(_fruitless - 2, 20), MaxBackoff.Ticks));
            return true;
        }
    }
}
