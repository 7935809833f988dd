namespace Supervisor.Launcher;

/// <summary>A non-blank input line, read and parsed: the arguments of one call, or why it has none.</summary>
/// <param name="Index">The line's 0-based position in the input, blank lines included.</param>
/// <param name="Arguments">The call's arguments; null when the line is malformed.</param>
/// <param name="Problem">Why the line is not valid JSON; null when it is.</param>
internal sealed record InputLine(long Index, Arguments? Arguments, string? Problem)
{
    /// <summary>The line's 1-based number, as an editor shows it.</summary>
    public long Number => Index + 1;
}
