using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Supervisor;

namespace WorkerService;

/// <summary>
/// Watches the inbox and digests each file on the pool, as many at once as the pool has workers. A file is deleted
/// only once its digest is written: one that failed, or was not reached before the service stopped, stays in the
/// inbox for the next run. On stop it takes no new file and waits for the ones in flight (their calls are not
/// cancelled); the pool itself stops after this service, when they are done.
/// </summary>
internal sealed partial class InboxProcessor(
    [FromKeyedServices("digests")] ProcessPool pool, IOptions<InboxOptions> options, ILogger<InboxProcessor> logger) : BackgroundService
{
    private readonly InboxOptions _options = options.Value;
    private readonly Channel<string> _arrivals = Channel.CreateUnbounded<string>();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inbox = Path.GetFullPath(_options.Path);
        var outbox = Path.GetFullPath(_options.Outbox);
        Directory.CreateDirectory(inbox);
        Directory.CreateDirectory(outbox);
        using var watcher = new FileSystemWatcher(inbox) { EnableRaisingEvents = true };
        watcher.Created += (_, e) => Arrived(e.FullPath);
        watcher.Renamed += (_, e) => Arrived(e.FullPath);
        // Files already there, or dropped before the watcher was up, are read once the watcher runs: none is missed.
        foreach (var file in Directory.EnumerateFiles(inbox)) Arrived(file);
        Watching(logger, inbox, outbox, pool.Workers.Count);

        var processed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(pool.Workers.Count, 1), CancellationToken = stoppingToken };
        try
        {
            await Parallel.ForEachAsync(_arrivals.Reader.ReadAllAsync(stoppingToken), parallel, async (file, _) =>
            {
                if (await DigestAsync(file, outbox)) Interlocked.Increment(ref processed);
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Parallel.ForEachAsync has waited for the files in flight before it threw.
        }
        Stopped(logger, processed);
    }

    private void Arrived(string path)
    {
        // Temporary names (".name") are a writer's unfinished file; a file is seen once, whichever event comes first.
        if (Path.GetFileName(path).StartsWith('.')) return;
        lock (_seen)
        {
            if (!_seen.Add(path)) return;
        }
        _arrivals.Writer.TryWrite(path);
    }

    // The call gets no cancellation token: a file in flight when the service stops is finished, not dropped.
    private async Task<bool> DigestAsync(string file, string outbox)
    {
        var name = Path.GetFileName(file);
        Accepted(logger, name);
        var clock = Stopwatch.StartNew();
        try
        {
            var digest = await pool.SubmitAsync(FileDigest.Compute, file, _options.Rounds, CancellationToken.None);
            await File.WriteAllTextAsync(Path.Combine(outbox, name + ".sha256"), digest + Environment.NewLine, CancellationToken.None);
            File.Delete(file);
            Digested(logger, name, digest, clock.ElapsedMilliseconds);
            return true;
        }
        catch (Exception e) when (e is RemoteTaskException or WorkerCrashedException or TaskTimeoutException or PoolBrokenException or IOException)
        {
            Failed(logger, e, name);
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Watching {Inbox}; digests go to {Outbox}; {Workers} workers")]
    private static partial void Watching(ILogger logger, string inbox, string outbox, int workers);

    [LoggerMessage(2, LogLevel.Information, "Accepted {File}")]
    private static partial void Accepted(ILogger logger, string file);

    [LoggerMessage(3, LogLevel.Information, "Digested {File}: {Digest} in {Milliseconds} ms")]
    private static partial void Digested(ILogger logger, string file, string digest, long milliseconds);

    [LoggerMessage(4, LogLevel.Error, "{File} failed and stays in the inbox")]
    private static partial void Failed(ILogger logger, Exception exception, string file);

    [LoggerMessage(5, LogLevel.Information, "Stopped taking files: {Processed} digested in this run")]
    private static partial void Stopped(ILogger logger, int processed);
}
