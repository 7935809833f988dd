namespace Supervisor.Launcher;

/// <summary>An input line that cannot become a call: what is wrong and the column where it is.</summary>
internal sealed class InputLineException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="column"/> (1-based, in bytes).</summary>
    public InputLineException(string problem, long column) : base($"column {column}: {problem}")
    {
        Column = column;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InputLineException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InputLineException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InputLineException() : base("The input line cannot become a call.") { }

    /// <summary>The 1-based byte column of the problem, 0 when unknown.</summary>
    public long Column { get; }
}
