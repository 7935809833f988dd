using Supervisor.Protocol.Serialization;

namespace Supervisor;

/// <summary>
/// A value that cannot cross a process boundary, found before anything was sent.
/// The message names where the value sits, what it is, why it cannot cross and what to send instead, e.g.
/// <c>args[0].Writer.Handle (SafeFileHandle): an OS handle cannot cross a process boundary; pass the file's path and open it in the worker</c>.
/// </summary>
/// <remarks>An <see cref="ArgumentException"/>: the caller handed over an argument (or a result) that cannot travel.</remarks>
public sealed class UnserializableValueException : ArgumentException
{
    /// <summary>Creates the exception; the message is built from the four parts.</summary>
    /// <param name="path">Where the value sits, from the root the caller named, e.g. <c>args[0].Writer.Handle</c>.</param>
    /// <param name="valueType">The type of the offending value (its runtime type when there is a value).</param>
    /// <param name="reason">Why it cannot cross, e.g. "an OS handle cannot cross a process boundary".</param>
    /// <param name="advice">What to do instead, e.g. "pass the file's path and open it in the worker".</param>
    public UnserializableValueException(string path, Type valueType, string reason, string advice)
        : this(path, valueType, reason, advice, innerException: null)
    {
    }

    /// <summary>Creates the exception and keeps the error that revealed the problem (e.g. MessagePack's own).</summary>
    /// <param name="path">Where the value sits, from the root the caller named.</param>
    /// <param name="valueType">The type of the offending value.</param>
    /// <param name="reason">Why it cannot cross.</param>
    /// <param name="advice">What to do instead.</param>
    /// <param name="innerException">The error that revealed the problem, or null.</param>
    public UnserializableValueException(string path, Type valueType, string reason, string advice, Exception? innerException)
        : base(FormatMessage(path, valueType, reason, advice), innerException)
    {
        Path = path;
        ValueType = valueType;
        Reason = reason;
        Advice = advice;
    }

    /// <summary>Where the value sits, e.g. <c>args[0].Writer.Handle</c>, <c>args[0][1]</c> or <c>args[0]["key"]</c>.</summary>
    public string Path { get; }

    /// <summary>The offending type.</summary>
    public Type ValueType { get; }

    /// <summary>Why the value cannot cross, e.g. "an OS handle cannot cross a process boundary".</summary>
    public string Reason { get; }

    /// <summary>What to do instead, e.g. "pass the file's path and open it in the worker".</summary>
    public string Advice { get; }

    // Validated here because the base constructor runs before the body.
    private static string FormatMessage(string path, Type valueType, string reason, string advice)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(valueType);
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(advice);
        return $"{path} ({TypeNames.Format(valueType)}): {reason}; {advice}";
    }
}
