using System.Diagnostics;
using Supervisor.Protocol.Startup;
using Supervisor.SharedMemory;

namespace Supervisor.Worker.Execution;

/// <summary>
/// A test harness's fault plan, applied to this worker's unmodified calls: it numbers this start and every call in
/// the plan's shared counters, fails the starts the plan names, and makes the calls it names crash, hang or exit
/// where the user's code would have run. Only the worker's environment at start turns it on (see <see cref="FaultRules"/>).
/// </summary>
internal sealed class InjectedFaults : IDisposable
{
    private readonly FaultRules _rules;
    private readonly SharedMemoryBlock _counters;
    // The pool's initializer is part of the start, not a call the plan counts.
    private bool _initializerPending;

    private InjectedFaults(FaultRules rules, SharedMemoryBlock counters)
    {
        _rules = rules;
        _counters = counters;
        _initializerPending = rules.FirstCallInitializes;
    }

    /// <summary>The plan this worker was started with, or null, the usual case.</summary>
    /// <exception cref="FormatException">The variable holds no fault plan.</exception>
    /// <exception cref="InvalidDataException">The plan's counters cannot be mapped.</exception>
    public static InjectedFaults? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(FaultRules.Variable) is not { } value) return null;
        // Processes a call starts are no part of the plan.
        Environment.SetEnvironmentVariable(FaultRules.Variable, null);
        var rules = FaultRules.Parse(value);
        return new InjectedFaults(rules, SharedMemoryBlock.Open(rules.CountersPath, FaultRules.CounterCount, sizeof(int), "The fault plan's counters"));
    }

    /// <summary>Counts this worker's start; the number of the start if the plan makes it fail, else null.</summary>
    public int? FailingStart()
    {
        var start = _counters.Update<int>(FaultRules.StartCounter, static n => n + 1);
        return _rules.FailingStarts.Contains(start) ? start : null;
    }

    /// <summary>
    /// Counts a call about to run, in place of the user's code, and strikes if the plan picks it. The forkserver's
    /// warm-up call and the initializer are not counted: they are the start.
    /// </summary>
    public void BeforeCall(bool warmUp)
    {
        if (warmUp) return;
        if (_initializerPending)
        {
            _initializerPending = false;
            return;
        }
        var call = _counters.Update<int>(FaultRules.CallCounter, static n => n + 1);
        foreach (var fault in _rules.Calls)
        {
            if (fault.Call == call) Strike(fault);
        }
    }

    public void Dispose() => _counters.Dispose();

    private static void Strike(CallFault fault)
    {
        switch (fault.Kind)
        {
            case CallFaultKind.Crash:
                using (var self = Process.GetCurrentProcess()) self.Kill();
                break;
            case CallFaultKind.Hang:
                Thread.Sleep(Timeout.Infinite);
                break;
            case CallFaultKind.Exit:
                Environment.Exit(fault.ExitCode);
                break;
        }
    }
}
