using StackExchange.Redis;

namespace Supervisor.Distributed.Redis;

/// <summary>The wait before the next try at an unreachable Redis: 100 ms, doubling up to 5 s; back to the start after a success.</summary>
internal sealed class RetryBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);
    private TimeSpan _next = First;

    /// <summary>Whether the last try failed (so a success is worth logging).</summary>
    public bool Failing { get; private set; }

    /// <summary>The wait before the next try; each call doubles the one after.</summary>
    public TimeSpan Next()
    {
        Failing = true;
        var wait = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, Max.Ticks));
        return wait;
    }

    /// <summary>Records a success.</summary>
    public void Reset()
    {
        Failing = false;
        _next = First;
    }

    /// <summary>Whether <paramref name="error"/> means Redis is unreachable or restarting, worth a retry.</summary>
    public static bool IsTransient(Exception error) =>
        error is RedisConnectionException or RedisTimeoutException
        || (error is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal));
}
