using Supervisor.SharedMemory;

namespace SharedMemoryFunctions;

/// <summary>A consumer that reports, through shared counters, how many calls ran at once across all workers.</summary>
public static class Overlap
{
    /// <summary>
    /// Counts itself in <paramref name="running"/> on entry and out on exit, keeping the highest count seen in
    /// <paramref name="peak"/>; returns the item and the worker's process id.
    /// </summary>
    public static int[] Consume(int item, SharedValue<int> running, SharedValue<int> peak)
    {
        var now = running.Update(v => v + 1);
        peak.Update(p => Math.Max(p, now));
        // Some work, so that calls have a chance to overlap; nothing depends on how long it takes.
        var sink = 0L;
        for (var i = 0; i < 2_000_000; i++) sink += i & 1;
        GC.KeepAlive(sink);
        running.Update(v => v - 1);
        return [item, Environment.ProcessId];
    }
}
