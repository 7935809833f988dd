using Microsoft.Extensions.Logging;

namespace Supervisor.Distributed.Redis;

/// <summary>
/// Says once that Redis is unreachable, however many commands wait for it at once (a client may have thousands of
/// calls out), and once that it is reachable again; each command still retries on its own backoff.
/// </summary>
internal sealed class OutageLog(ILogger logger, string who)
{
    private int _down;

    /// <summary>A command failed for want of Redis; logged if it is the first since Redis was last reached.</summary>
    public void Failed(Exception error)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            logger.LogWarning("{Who}: Redis unreachable ({Error}); waiting for it, retrying with backoff (100 ms doubling to 5 s)", who, ShortReason(error));
        }
    }

    /// <summary>A command went through; logged if Redis was unreachable before it.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1) logger.LogInformation("{Who}: Redis reachable again", who);
    }

    // StackExchange.Redis appends a long diagnostic dump after " - "; its first clause says what went wrong.
    private static string ShortReason(Exception error)
    {
        var cut = error.Message.IndexOf(" - ", StringComparison.Ordinal);
        return cut > 0 ? error.Message[..cut] : error.Message;
    }
}
