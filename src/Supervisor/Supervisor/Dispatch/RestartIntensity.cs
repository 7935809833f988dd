namespace Supervisor.Dispatch;

/// <summary>
/// Erlang/OTP's restart intensity: at most <c>maxRestarts</c> within <c>period</c>. Each restart after the
/// first in the period waits a backoff that doubles from 10 ms up to 1 s, so a crash loop slows down before it
/// is stopped.
/// </summary>
internal sealed class RestartIntensity(int maxRestarts, TimeSpan period, TimeProvider clock)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private readonly Queue<long> _recent = new();

    /// <summary>Records a restart now; false when it is one too many, else the backoff to wait before it.</summary>
    public bool TryRecord(out TimeSpan backoff)
    {
        lock (_recent)
        {
            var now = clock.GetTimestamp();
            while (_recent.TryPeek(out var oldest) && clock.GetElapsedTime(oldest, now) > period) _recent.Dequeue();
            if (_recent.Count >= maxRestarts)
            {
                backoff = TimeSpan.Zero;
                return false;
            }
            var earlier = _recent.Count;
            _recent.Enqueue(now);
            backoff = earlier == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(earlier - 1, 20), MaxBackoff.Ticks));
            return true;
        }
    }
}
