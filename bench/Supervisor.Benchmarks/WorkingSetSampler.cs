using System.Diagnostics;

namespace Supervisor.Benchmarks;

/// <summary>
/// Samples this process's working set on a timer and keeps the largest: Process.PeakWorkingSet64 covers the
/// whole process lifetime, so it cannot tell one run from the one before.
/// </summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly Process _self = Process.GetCurrentProcess();
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private long _peak;
    private bool _disposed;

    public WorkingSetSampler(TimeSpan period)
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, period, period);
    }

    /// <summary>The largest working set seen so far, this moment included.</summary>
    public long PeakBytes
    {
        get
        {
            Sample();
            lock (_gate) return _peak;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        // A tick already running may still sample: it checks the flag under the same lock.
        lock (_gate)
        {
            _disposed = true;
            _self.Dispose();
        }
    }

    private void Sample()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _self.Refresh();
            _peak = Math.Max(_peak, _self.WorkingSet64);
        }
    }
}
