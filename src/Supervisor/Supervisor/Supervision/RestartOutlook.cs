namespace Supervisor.Supervision;

/// <summary>What one more restart would meet (see <see cref="RestartIntensity.Peek"/>).</summary>
/// <param name="Allowed">It stays within the restart intensity.</param>
/// <param name="Backoff">How long to wait before starting the replacement.</param>
internal readonly record struct RestartOutlook(bool Allowed, TimeSpan Backoff);
