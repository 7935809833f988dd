namespace Supervisor.Launcher;

/// <summary>Why one call failed, as the output line and the summary name it.</summary>
/// <param name="Type">The exception's full type name (in the worker, for a remote error), or <see cref="MalformedInput"/>.</param>
/// <param name="Message">What went wrong.</param>
internal sealed record CallFailure(string Type, string Message)
{
    /// <summary>The type of the failure of a line that is not valid JSON.</summary>
    public const string MalformedInput = "MalformedInput";

    /// <summary>The type without its namespace, as the summary shows it.</summary>
    public string ShortType => Type[(Type.LastIndexOf('.') + 1)..];

    /// <summary>The failure of a line that is not valid JSON; its message names the line.</summary>
    public static CallFailure Malformed(InputLine line, string problem)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new CallFailure(MalformedInput, $"line {line.Number}: {problem}");
    }

    /// <summary>The failure an outcome's error describes.</summary>
    public static CallFailure From(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        // A remote exception is described by text; its own type name is what the user's code threw.
        return error is RemoteTaskException { RemoteType.Length: > 0 } remote
            ? new CallFailure(remote.RemoteType, remote.RemoteMessage)
            : new CallFailure(error.GetType().FullName ?? error.GetType().Name, error.Message);
    }
}
