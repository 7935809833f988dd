using System.Diagnostics;

namespace Supervisor.Worker.Execution;

/// <summary>
/// Continues the caller's trace in the worker: while a task runs, <see cref="Activity.Current"/> is a child of the
/// caller's span, so user code (and any instrumentation it uses) sees the caller's trace id. Python's multiprocessing
/// loses the trace at the process boundary.
/// </summary>
internal static class CallerTrace
{
    /// <summary>The activity a task runs in, started and made current; null when the caller had no trace. Dispose it to end it.</summary>
    public static Activity? Continue(ActivityContext caller)
    {
        if (caller == default) return null;
        // Not from an ActivitySource: a worker usually has no listener, and the user's code must see the trace anyway.
        var activity = new Activity("Supervisor.Task");
        activity.SetParentId(caller.TraceId, caller.SpanId, caller.TraceFlags);
        activity.TraceStateString = caller.TraceState;
        return activity.Start();
    }
}
