using System.Runtime.InteropServices;

namespace Supervisor.Launcher;

/// <summary>
/// Ctrl-C and SIGTERM (what systemd, docker and Kubernetes send), in two steps: the first stops dispatching at once,
/// lets the calls workers hold finish and be written; a second one of either stops at once (the pool kills its workers).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly TextWriter _error;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;
    private PosixSignal? _first;

    /// <summary>Listens for SIGINT and SIGTERM until disposed; <paramref name="cancellationToken"/> aborts too.</summary>
    public Interruption(TextWriter error, CancellationToken cancellationToken)
    {
        _error = error;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM])
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // Where a platform has no such signal, there is nothing to listen for.
            }
        }
    }

    /// <summary>Canceled by the first signal: read no more input and dispatch no more calls.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Canceled by the second signal: stop now.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>True once a signal came.</summary>
    public bool Interrupted => Volatile.Read(ref _signals) > 0;

    /// <summary>The exit code of a run the first signal stopped: 130 for SIGINT, 143 for SIGTERM, as shells report them.</summary>
    public int ExitCode => _first == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The launcher decides how to end, in both steps: the runtime's default would end it mid-write.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _first = context.Signal;
            var name = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "interrupted";
            _error.WriteLine($"supervisor: {name}; dispatching no more calls and finishing those the workers hold (Ctrl-C again to stop at once).");
            _stop.Cancel();
        }
        else
        {
            _abort.Cancel();
        }
    }
}
