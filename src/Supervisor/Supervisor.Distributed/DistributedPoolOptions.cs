using Microsoft.Extensions.Logging;

namespace Supervisor.Distributed;

/// <summary>How a client sends calls to a queue. Every property has a documented default.</summary>
public sealed record DistributedPoolOptions
{
    /// <summary>The default largest frame, either way: 16 MiB.</summary>
    public const int DefaultMaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>The largest task frame sent and the largest result frame read. Default: 16 MiB.</summary>
    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>
    /// The most calls one <c>Imap</c>, <c>ImapUnordered</c> or <c>ImapOutcomes</c> keeps queued or running at once:
    /// a long input is fed as results come back, not all at once. Default: 10,000.
    /// </summary>
    public int MaxCallsInFlight { get; init; } = 10_000;

    /// <summary>Where the client logs losing and regaining Redis. Default: nowhere.</summary>
    public ILogger? Logger { get; init; }
}
