namespace Supervisor.Distributed.Wire;

/// <summary>One call's outcome as it crosses back: a value not yet read, or an error described by text.</summary>
internal sealed record CallOutcome(OutcomeKind Kind, ReadOnlyMemory<byte> Value, string ErrorType, string Message, string StackTrace, string NodeName)
{
    /// <summary>A returned value.</summary>
    public static CallOutcome Returned(ReadOnlyMemory<byte> value, string nodeName) => new(OutcomeKind.Returned, value, "", "", "", nodeName);

    /// <summary>An error of <paramref name="kind"/>.</summary>
    public static CallOutcome Error(OutcomeKind kind, string errorType, string message, string stackTrace, string nodeName) =>
        new(kind, ReadOnlyMemory<byte>.Empty, errorType, message, stackTrace, nodeName);
}
