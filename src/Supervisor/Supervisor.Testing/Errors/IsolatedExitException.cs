namespace Supervisor.Testing;

/// <summary>
/// The isolated call's process did not end as expected: it exited (<c>Environment.Exit</c>, a crash, a signal)
/// while the call should have returned, exited with another code than
/// <see cref="IsolatedOptions.ExpectedExitCode"/>, or returned when it should have exited.
/// </summary>
public sealed class IsolatedExitException : Exception
{
    /// <summary>Creates the exception for a process that ended with <paramref name="exitCode"/>.</summary>
    public IsolatedExitException(int? exitCode, int? expectedExitCode, IReadOnlyList<string> outputTail, Exception? innerException = null)
        : base(ChildOutput.Append(Describe(exitCode, expectedExitCode), outputTail), innerException)
    {
        ExitCode = exitCode;
        ExpectedExitCode = expectedExitCode;
        OutputTail = outputTail;
    }

    /// <summary>Creates the exception for a call that returned while its process was expected to exit with <paramref name="expectedExitCode"/>.</summary>
    public static IsolatedExitException Returned(int expectedExitCode, IReadOnlyList<string> outputTail) =>
        new(null, expectedExitCode, outputTail);

    /// <summary>Creates the exception with a message only.</summary>
    public IsolatedExitException(string message) : base(message) => OutputTail = [];

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IsolatedExitException(string message, Exception innerException) : base(message, innerException) => OutputTail = [];

    /// <summary>Creates the exception with a default message.</summary>
    public IsolatedExitException() : this("The isolated call's process did not end as expected.") { }

    /// <summary>The code the process ended with (negative for a signal on Unix); null if the call returned or the code is unknown.</summary>
    public int? ExitCode { get; }

    /// <summary>The code it was expected to end with; null if it was expected to return.</summary>
    public int? ExpectedExitCode { get; }

    /// <summary>The child's last lines of output, oldest first (stderr lines marked <c>[stderr]</c>).</summary>
    public IReadOnlyList<string> OutputTail { get; }

    private static string Describe(int? exitCode, int? expected) => (exitCode, expected) switch
    {
        (null, { } e) => $"The isolated call returned, but its process was expected to exit with code {e}.",
        (var code, null) => $"The isolated call's process exited with code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} instead of returning.",
        (var code, { } e) => $"The isolated call's process exited with code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, not the expected {e}.",
    };
}
