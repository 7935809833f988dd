namespace Supervisor.Testing;

/// <summary>
/// The isolated call threw in its child process (an assertion failure included). The message starts with the child
/// exception's type name and message, and <see cref="StackTrace"/> starts with the child's stack trace, so a test
/// runner shows it as it would a local failure. The exception is described by text, never rebuilt as its type.
/// </summary>
public sealed class IsolatedException : Exception
{
    /// <summary>Creates the exception from the child's error and its last output lines.</summary>
    public IsolatedException(RemoteTaskException error, IReadOnlyList<string> outputTail)
        : base(ChildOutput.Append($"{error?.RemoteType}: {error?.RemoteMessage}", outputTail), error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ChildType = error.RemoteType;
        ChildMessage = error.RemoteMessage;
        ChildStackTrace = error.RemoteStackTrace;
        OutputTail = outputTail;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public IsolatedException(string message) : base(message)
    {
        ChildType = ChildMessage = ChildStackTrace = "";
        OutputTail = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IsolatedException(string message, Exception innerException) : base(message, innerException)
    {
        ChildType = ChildMessage = ChildStackTrace = "";
        OutputTail = [];
    }

    /// <summary>Creates the exception with a default message.</summary>
    public IsolatedException() : this("An isolated call threw in its child process.") { }

    /// <summary>The child exception's full type name, e.g. <c>Xunit.Sdk.EqualException</c>.</summary>
    public string ChildType { get; }

    /// <summary>The child exception's message.</summary>
    public string ChildMessage { get; }

    /// <summary>Where the exception was thrown, in the child.</summary>
    public string ChildStackTrace { get; }

    /// <summary>The child's last lines of output, oldest first (stderr lines marked <c>[stderr]</c>).</summary>
    public IReadOnlyList<string> OutputTail { get; }

    /// <summary>
    /// The child's stack trace down to the user's code (the worker's own frames that invoked it left out; they are in
    /// <see cref="ChildStackTrace"/>), then where the test awaited the call.
    /// </summary>
    public override string? StackTrace => ChildStackTrace.Length == 0
        ? base.StackTrace
        : $"{UserFrames(ChildStackTrace)}{Environment.NewLine}   --- end of the child process's stack trace ---{Environment.NewLine}{base.StackTrace}";

    // The frames below the user's method are reflection's and the worker's: the same in every failure, and noise there.
    private static string UserFrames(string stackTrace)
    {
        var lines = stackTrace.Split('\n');
        var invoker = Array.FindIndex(lines, line => line.TrimStart().StartsWith("at System.Reflection.", StringComparison.Ordinal));
        return invoker > 0 ? string.Join('\n', lines[..invoker]).TrimEnd() : stackTrace;
    }
}
