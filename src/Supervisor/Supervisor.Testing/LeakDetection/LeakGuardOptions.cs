namespace Supervisor.Testing;

/// <summary>What a <see cref="LeakGuard"/> forgives. Every property has a documented default.</summary>
public sealed record LeakGuardOptions
{
    /// <summary>
    /// How long processes started since the guard began have to end once it checks, before they count as left
    /// running (a pool disposed without being awaited ends its workers a moment later). Default: 5 seconds.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Warm pools meant to outlive the guarded code (a test class's pool), whose children are not leaks (told by the
    /// worker names on their command lines, so not on Windows). Default: none.
    /// </summary>
    public IReadOnlyList<IsolatedPool> Ignored { get; init; } = [];
}
