using System.Runtime.ExceptionServices;

namespace Supervisor.Testing.Running;

/// <summary>Judges how an isolated call ended, against <see cref="IsolatedOptions.ExpectedExitCode"/>.</summary>
internal static class Verdict
{
    /// <summary>The call's result, or the exception the test sees: the child's error, its exit, or its timeout.</summary>
    public static TResult Judge<TResult>(Task<TResult> call, IsolatedOptions options, OutputTail tail)
    {
        var expected = options.ExpectedExitCode;
        if (call.IsCompletedSuccessfully)
        {
            if (expected is { } code) throw IsolatedExitException.Returned(code, []);
            return call.Result;
        }
        var failure = call.Exception?.InnerException ?? new OperationCanceledException("The isolated call was cancelled.");
        switch (failure)
        {
            case RemoteTaskException error:
                throw new IsolatedException(error, tail.Of(error.WorkerName));
            case WorkerCrashedException crash when crash.ExitCode is { } exit && exit == expected:
                return default!;
            case WorkerCrashedException crash:
                throw new IsolatedExitException(crash.ExitCode, expected, TailOf(crash.WorkerName, crash.LastErrorLines, tail), crash);
            case TaskTimeoutException timeout:
                throw new IsolatedTimeoutException(options.Timeout, tail.Of(timeout.WorkerName), timeout);
            default:
                ExceptionDispatchInfo.Throw(failure);
                return default;
        }
    }

    // The tail this side kept, or else the stderr lines the crash report carries (output still on its way).
    private static IReadOnlyList<string> TailOf(string workerName, IReadOnlyList<string> crashLines, OutputTail tail)
    {
        var kept = tail.Of(workerName);
        return kept.Count > 0 ? kept : [.. crashLines.Select(line => $"[stderr] {line}")];
    }
}
