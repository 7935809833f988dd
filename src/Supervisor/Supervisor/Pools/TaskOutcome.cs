namespace Supervisor;

/// <summary>The outcome of one call of a streamed submission: its value, or the error it ended with.</summary>
/// <param name="Index">The call's position in the input.</param>
/// <param name="Value">The returned value; default when <see cref="Error"/> is set.</param>
/// <param name="Error">Why the call failed (<see cref="RemoteTaskException"/>, <see cref="WorkerCrashedException"/>), or null.</param>
public readonly record struct TaskOutcome<T>(int Index, T? Value, Exception? Error)
{
    /// <summary>True when the call returned a value.</summary>
    public bool IsSuccess => Error is null;
}
