namespace Supervisor.Launcher;

/// <summary>An input line's arguments, and where on the line each one starts.</summary>
/// <param name="Arguments">The call's arguments.</param>
/// <param name="Sources">One per argument, in the order of the line.</param>
internal sealed record ParsedLine(Arguments Arguments, IReadOnlyList<ArgumentSource> Sources);
