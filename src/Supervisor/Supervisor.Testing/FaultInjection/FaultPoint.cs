using System.Diagnostics;
using Supervisor.SharedMemory;

namespace Supervisor.Testing;

/// <summary>
/// A <see cref="FaultPlan"/> as it travels to worker processes: a function under test takes it as a parameter and
/// calls <see cref="Hit"/> where a fault may strike. Calls are counted across every process that holds the plan,
/// in shared memory, in the order they reach <see cref="Hit"/>; a call that runs again counts again. Made by
/// <see cref="FaultPlan.Point"/>; its members are public only so that it can cross a process boundary.
/// </summary>
public sealed class FaultPoint
{
    /// <summary>Index in <see cref="Counters"/> of the calls that reached <see cref="Hit"/>.</summary>
    internal const int CallCounter = 0;

    /// <summary>Index in <see cref="Counters"/> of the worker starts that reached <see cref="Start"/>.</summary>
    internal const int StartCounter = 1;

    /// <summary>The shared counts: calls, then worker starts.</summary>
    public required SharedArray<int> Counters { get; init; }

    /// <summary>The call numbers (from 1) that a fault strikes.</summary>
    public required int[] Calls { get; init; }

    /// <summary>The fault of each entry of <see cref="Calls"/>.</summary>
    public required FaultKind[] Kinds { get; init; }

    /// <summary>The exit code of each entry of <see cref="Calls"/> (for <see cref="FaultKind.Exit"/>).</summary>
    public required int[] ExitCodes { get; init; }

    /// <summary>The worker start numbers (from 1) that fail.</summary>
    public required int[] FailingStarts { get; init; }

    /// <summary>Counts this call and, if the plan picks it, strikes: crashes, hangs, exits or throws.</summary>
    /// <exception cref="InjectedFaultException">The plan makes this call throw.</exception>
    public void Hit()
    {
        var call = Counters.Update(CallCounter, static n => n + 1);
        var rule = Array.IndexOf(Calls, call);
        if (rule < 0) return;
        switch (Kinds[rule])
        {
            case FaultKind.Crash:
                using (var self = Process.GetCurrentProcess()) self.Kill();
                break;
            case FaultKind.Hang:
                Thread.Sleep(Timeout.Infinite);
                break;
            case FaultKind.Exit:
                Environment.Exit(ExitCodes[rule]);
                break;
            case FaultKind.Throw:
                throw new InjectedFaultException($"Call {call} fails, as the fault plan asked.");
        }
    }

    /// <summary>Counts a worker start and makes it fail if the plan picks it; the plan's initializer calls this.</summary>
    /// <exception cref="InjectedFaultException">The plan makes this start fail.</exception>
    public void Start()
    {
        var start = Counters.Update(StartCounter, static n => n + 1);
        if (Array.IndexOf(FailingStarts, start) >= 0) throw new InjectedFaultException($"Worker start {start} fails, as the fault plan asked.");
    }
}
