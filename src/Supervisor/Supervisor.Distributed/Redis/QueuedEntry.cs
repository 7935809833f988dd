using StackExchange.Redis;

namespace Supervisor.Distributed.Redis;

/// <summary>One stream entry as read: its id and its frame, or null when the entry was deleted or holds no frame.</summary>
internal readonly record struct QueuedEntry(string Id, byte[]? Frame)
{
    /// <summary>The one field of every entry this mode writes.</summary>
    public const string FrameField = "f";

    /// <summary>
    /// The entries of an <c>XREAD</c> or <c>XREADGROUP</c> reply (<c>[[stream, [[id, [field, value, ...]], ...]]]</c>),
    /// or none for a reply that timed out (nil).
    /// </summary>
    public static IReadOnlyList<QueuedEntry> FromReadReply(RedisResult reply)
    {
        if (reply.IsNull) return [];
        var entries = new List<QueuedEntry>();
        foreach (var stream in (RedisResult[])reply!)
        {
            var parts = (RedisResult[])stream!;
            foreach (var entry in (RedisResult[])parts[1]!)
            {
                var fields = (RedisResult[])entry!;
                entries.Add(new QueuedEntry((string)fields[0]!, fields[1].IsNull ? null : FrameOf((RedisResult[])fields[1]!)));
            }
        }
        return entries;
    }

    /// <summary>An entry claimed by <c>XAUTOCLAIM</c>.</summary>
    public static QueuedEntry FromClaimed(StreamEntry entry)
    {
        var frame = entry.IsNull ? RedisValue.Null : entry[FrameField];
        return new QueuedEntry(entry.Id!, frame.IsNull ? null : (byte[]?)frame);
    }

    private static byte[]? FrameOf(RedisResult[] fields)
    {
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if ((string?)fields[i] == FrameField) return (byte[]?)fields[i + 1];
        }
        return null;
    }
}
