using Supervisor.Protocol.Messages;

namespace Supervisor.Worker.Execution;

/// <summary>
/// Describes a user's exception for the wire whatever it does: a null message, getters that throw (an
/// <see cref="IOException"/> among them, which must not pass for the supervisor's pipe breaking), a message of many
/// megabytes. What cannot be read is said instead, and each text is clipped so that the Error frame fits.
/// </summary>
internal static class ErrorReport
{
    // A stack trace of a deep recursion or a message of megabytes is read by a person: its start says enough.
    private const int MaxFieldChars = 64 * 1024;
    // The envelope, the ids and the strings' headers; each char takes at most 3 bytes in UTF-8.
    private const int FrameOverheadBytes = 64;
    private const int MaxBytesPerChar = 3;

    /// <summary>Reads what can be read of <paramref name="exception"/>; never throws.</summary>
    public static RemoteError From(Exception exception) => new(
        exception.GetType().FullName ?? exception.GetType().Name,
        Read(() => exception.Message, "Message") ?? "(its Message is null)",
        Read(() => exception.StackTrace, "StackTrace") ?? "");

    /// <summary>
    /// Clips the texts of <paramref name="error"/> so that together they fit in one frame of
    /// <paramref name="maxFrameBytes"/>: the type first, then the message, the stack trace with what is left.
    /// </summary>
    public static RemoteError Fit(RemoteError error, int maxFrameBytes)
    {
        var budget = Math.Max((maxFrameBytes - FrameOverheadBytes) / MaxBytesPerChar, 0);
        var type = Clip(error.Type, Math.Min(budget, MaxFieldChars));
        var message = Clip(error.Message, Math.Min(budget - type.Length, MaxFieldChars));
        return new RemoteError(type, message, Clip(error.StackTrace, Math.Min(budget - type.Length - message.Length, MaxFieldChars)));
    }

    private static string? Read(Func<string?> getter, string name)
    {
        try
        {
            return getter();
        }
#pragma warning disable CA1031 // Whatever a user's getter throws is reported as what it is, not thrown again.
        catch (Exception e)
        {
            string detail;
            try
            {
                detail = e.Message is { } message ? $": {message}" : "";
            }
            catch (Exception)
            {
                detail = "";
            }
#pragma warning restore CA1031
            return $"(its {name} threw {e.GetType().FullName}{detail})";
        }
    }

    private static string Clip(string text, int limit)
    {
        if (text.Length <= limit) return text;
        var suffix = $"... (cut: {text.Length} characters in all)";
        if (limit <= suffix.Length) return text[..KeepWhole(text, limit)];
        return string.Concat(text.AsSpan(0, KeepWhole(text, limit - suffix.Length)), suffix);
    }

    // A surrogate pair is kept whole or not at all.
    private static int KeepWhole(string text, int keep) => keep > 0 && char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;
}
