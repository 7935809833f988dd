namespace Supervisor;

/// <summary>
/// The names this library's telemetry goes under, for an OpenTelemetry setup:
/// <c>tracing.AddSource(SupervisorTelemetry.ActivitySourceName)</c>, <c>metrics.AddMeter(SupervisorTelemetry.MeterName)</c>.
/// </summary>
public static class SupervisorTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the spans around calls, on the caller's side: <c>Supervisor</c>.</summary>
    public const string ActivitySourceName = "Supervisor";

    /// <summary>The meter of the pools' instruments (see <c>Supervisor.Hosting</c>): <c>Supervisor</c>.</summary>
    public const string MeterName = "Supervisor";
}
