namespace Supervisor.Launcher;

/// <summary>Where an argument stands on its input line.</summary>
/// <param name="Name">The parameter name it was given for, or null for a positional argument.</param>
/// <param name="Column">The 1-based byte column its value starts at.</param>
internal sealed record ArgumentSource(string? Name, long Column);
