using System.Collections.Concurrent;

namespace Supervisor.Processes;

/// <summary>
/// Starts a group's worker processes from one thread of its own that outlives them. On Linux a worker asks to be
/// killed when its parent dies (<c>PR_SET_PDEATHSIG</c>), and the kernel takes the parent to be the thread that
/// started it: a pool thread, which exits when idle, would take healthy workers with it.
/// </summary>
internal sealed class ProcessSpawner : IDisposable
{
    private readonly BlockingCollection<Action> _starts = new();

    public ProcessSpawner()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "worker spawner" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the spawner's thread.</summary>
    public Task<T> RunAsync<T>(Func<T> start)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _starts.Add(() =>
        {
            try
            {
                result.SetResult(start());
            }
#pragma warning disable CA1031 // Whatever the start throws belongs to its caller, who awaits it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result.SetException(e);
            }
        });
        return result.Task;
    }

    /// <summary>Lets the thread end once the starts queued are done; call it when the group's workers are gone. Idempotent.</summary>
    public void Dispose() => _starts.CompleteAdding();

    private void Run()
    {
        foreach (var start in _starts.GetConsumingEnumerable()) start();
    }
}
