namespace UserFunctions;

/// <summary>Exceptions as odd as user code can make them: what their worker must still report as the call's error.</summary>
public static class OddExceptions
{
    /// <summary>Throws the odd exception <paramref name="kind"/> names; returns <paramref name="kind"/> for any other.</summary>
    public static string Throw(string kind) => kind switch
    {
        "null-message" => throw new NullMessageException(),
        "throwing-message" => throw new ThrowingGetterException(new InvalidOperationException("the getter broke")),
        "io-from-message" => throw new ThrowingGetterException(new IOException("the getter read a closed file")),
        "huge-message" => throw new InvalidOperationException(new string('x', 70 * 1024 * 1024)),
        _ => kind,
    };

    /// <summary>Its <see cref="Message"/> is null, as an override may make it.</summary>
    public sealed class NullMessageException : Exception
    {
        /// <inheritdoc />
        public override string Message => null!;
    }

    /// <summary>Its <see cref="Message"/> and <see cref="StackTrace"/> getters throw.</summary>
    public sealed class ThrowingGetterException(Exception fromGetters) : Exception
    {
        /// <inheritdoc />
        public override string Message => throw fromGetters;

        /// <inheritdoc />
        public override string StackTrace => throw fromGetters;
    }
}
