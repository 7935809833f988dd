using System.Collections.Concurrent;
using System.Diagnostics;
using HostingFunctions;
using Supervisor.Hosting.Tests.Support;

namespace Supervisor.Hosting.Tests.Tracing;

/// <summary>
/// The caller's trace crosses into the worker. One class, so its tests do not run at once: an ActivityListener hears
/// the whole process.
/// </summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Without_a_listener_the_function_in_the_worker_runs_in_the_callers_trace()
    {
        await using var running = await StartAsync();
        using var request = new Activity("request").Start();

        var seen = await running.Pool.SubmitAsync(Traces.Current, 0);

        Assert.Equal($"{request.TraceId.ToHexString()}/{request.SpanId.ToHexString()}", seen);
    }

    [Fact]
    public async Task With_a_listener_each_call_has_a_span_and_the_worker_runs_as_its_child()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SupervisorTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var running = await StartAsync();
        using var request = new Activity("request").Start();

        var seen = await running.Pool.SubmitAsync(Traces.Current, 0);
        var mapped = await running.Pool.MapAsync(Traces.Current, [1, 2, 3]);

        var submit = Assert.Single(stopped, s => s.TraceId == request.TraceId && s.OperationName == "Submit");
        var map = Assert.Single(stopped, s => s.TraceId == request.TraceId && s.OperationName == "Map");
        Assert.Equal(request.SpanId, submit.ParentSpanId);
        Assert.Equal(ActivityKind.Client, submit.Kind);
        Assert.Equal("HostingFunctions.Traces.Current", submit.GetTagItem("supervisor.function"));
        Assert.Equal($"{request.TraceId.ToHexString()}/{submit.SpanId.ToHexString()}", seen);
        Assert.All(mapped, m => Assert.Equal($"{request.TraceId.ToHexString()}/{map.SpanId.ToHexString()}", m));
        Assert.Same(request, Activity.Current);
    }

    [Fact]
    public async Task A_calls_span_has_ended_when_its_caller_resumes()
    {
        // Before, the span ended in a continuation of the caller's task, queued beside the caller's own: a caller (or
        // an exporter flushing at the end of a request) could resume before its span was complete.
        var stopped = new ConcurrentDictionary<ActivityTraceId, string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SupervisorTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // A slow exporter: the span is recorded some time into its Stop. Before, the caller went on meanwhile.
            ActivityStopped = span =>
            {
                Thread.Sleep(10);
                stopped[span.TraceId] = span.OperationName;
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var running = await StartAsync();

        for (var call = 0; call < 40; call++)
        {
            using var request = new Activity("request").Start();
            if (call % 2 == 0) await running.Pool.SubmitAsync(Traces.Current, call);
            else await running.Pool.MapAsync(Traces.Current, [call, call]);
            Assert.True(stopped.ContainsKey(request.TraceId), $"call {call}: its span had not ended when the caller resumed");
        }
    }

    private static Task<HostedPool> StartAsync() => TestHosts.StartPoolAsync(o => o.Workers = 1);
}
