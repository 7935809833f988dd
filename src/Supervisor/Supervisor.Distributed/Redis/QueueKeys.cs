using StackExchange.Redis;

namespace Supervisor.Distributed.Redis;

/// <summary>
/// The Redis keys of one queue. All carry the queue's name as a hash tag (<c>{images}</c>), so on a Redis cluster they
/// share a slot and one transaction can store a result and acknowledge its call.
/// </summary>
internal sealed class QueueKeys
{
    private const int MaxQueueNameLength = 200;

    public QueueKeys(string queue)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (queue.Length > MaxQueueNameLength || !queue.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException(
                $"Queue name '{queue}': use 1 to {MaxQueueNameLength} ASCII letters, digits, '.', '_' or '-'.", nameof(queue));
        }
        Queue = queue;
        var prefix = $"supervisor:{{{queue}}}:";
        Calls = prefix + "calls";
        DeadLetters = prefix + "dead";
        LastErrors = prefix + "errors";
        ReplyPrefix = prefix + "results:";
    }

    /// <summary>The queue's name.</summary>
    public string Queue { get; }

    /// <summary>The stream clients add tasks to and nodes read as one consumer group.</summary>
    public RedisKey Calls { get; }

    /// <summary>The nodes' consumer group on <see cref="Calls"/>.</summary>
    public static RedisValue Group => "nodes";

    /// <summary>The stream of tasks delivered too many times, with their last error.</summary>
    public RedisKey DeadLetters { get; }

    /// <summary>A hash: entry id → the last error of a task whose worker died under it, read when it is dead-lettered.</summary>
    public RedisKey LastErrors { get; }

    /// <summary>The prefix of every client's reply stream.</summary>
    public string ReplyPrefix { get; }

    /// <summary>The reply stream of the client <paramref name="clientId"/>.</summary>
    public string ReplyKey(string clientId) => ReplyPrefix + clientId;

    /// <summary>Whether a reply key read from the wire belongs to this queue: a node writes nowhere else.</summary>
    public bool IsReplyKey(string key) =>
        key.Length > ReplyPrefix.Length && key.Length <= ReplyPrefix.Length + 64 && key.StartsWith(ReplyPrefix, StringComparison.Ordinal);
}
