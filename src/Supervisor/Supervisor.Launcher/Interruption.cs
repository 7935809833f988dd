namespace Supervisor.Launcher;

/// <summary>
/// Ctrl-C, in two steps: the first stops reading input and lets the calls in flight finish and be written;
/// the second stops at once (the pool kills its workers).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly TextWriter _error;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private int _presses;

    /// <summary>Listens for Ctrl-C until disposed; <paramref name="cancellationToken"/> aborts too.</summary>
    public Interruption(TextWriter error, CancellationToken cancellationToken)
    {
        _error = error;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Canceled by the first Ctrl-C: read no more input.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Canceled by the second Ctrl-C: stop now.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>True once Ctrl-C was pressed.</summary>
    public bool Interrupted => Volatile.Read(ref _presses) > 0;

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _stop.Dispose();
        _abort.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // The launcher decides how to end, in both steps: the runtime's default would kill it mid-write.
        e.Cancel = true;
        if (Interlocked.Increment(ref _presses) == 1)
        {
            _error.WriteLine("supervisor: interrupted; finishing the calls in flight (Ctrl-C again to stop at once).");
            _stop.Cancel();
        }
        else
        {
            _abort.Cancel();
        }
    }
}
