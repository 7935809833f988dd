using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Supervisor;
using WebApi;

// A minimal API that hashes on a supervised process pool. The pool "hashes" is configured in appsettings.json
// ("Retries": 0: a request whose input kills its worker fails at once instead of killing two more). A call that kills
// its worker answers 502 with the worker's error; the pool replaces the worker and the next request is served.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddProcessPool("hashes").BindConfiguration("Supervisor:Pools:hashes").AddHealthCheck();
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(SupervisorTelemetry.MeterName).AddPrometheusExporter())
    .WithTracing(tracing => tracing.AddSource(SupervisorTelemetry.ActivitySourceName));
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<PoolErrorHandler>();

var app = builder.Build();
app.UseExceptionHandler();
app.MapPost("/hash", async ([FromKeyedServices("hashes")] ProcessPool pool, HashRequest request, CancellationToken cancellationToken) =>
    new HashResponse(await pool.SubmitAsync(Hashing.Stretch, request.Text, request.Rounds, cancellationToken), request.Rounds));
// What a crash looks like from outside: the call kills its worker, as a failing native library would.
app.MapPost("/crash", async ([FromKeyedServices("hashes")] ProcessPool pool, CancellationToken cancellationToken) =>
    await pool.SubmitAsync(Hashing.CrashWorker, "the native hashing library crashed", cancellationToken));
app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
app.MapPrometheusScrapingEndpoint();
await app.RunAsync();
