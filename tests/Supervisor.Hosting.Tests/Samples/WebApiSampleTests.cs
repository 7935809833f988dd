using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Supervisor.Hosting.Tests.Support;

namespace Supervisor.Hosting.Tests.Samples;

/// <summary>samples/WebApi as a user runs it: a process on a free loopback port, talked to over HTTP.</summary>
public sealed class WebApiSampleTests
{
    [SkippableFact]
    public async Task The_api_hashes_on_the_pool_answers_a_crash_with_a_502_and_serves_the_next_request()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGTERM is a Unix signal.");
        await using var sample = SampleProcess.Start("WebApi", "--urls", "http://127.0.0.1:0");
        var listening = (await sample.WaitForLinesAsync("Now listening on: "))[0];
        using var http = new HttpClient { BaseAddress = new Uri(listening[listening.IndexOf("http://", StringComparison.Ordinal)..].Trim()) };

        await AssertHashesAsync(http, "hello", 3);

        using var crashed = await http.PostAsync(new Uri("/crash", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.BadGateway, crashed.StatusCode);
        Assert.Equal("application/problem+json", crashed.Content.Headers.ContentType?.MediaType);
        var problem = await crashed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The worker process running the call died", problem.GetProperty("title").GetString());
        Assert.Contains("the native hashing library crashed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await AssertHashesAsync(http, "next", 2);

        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        // Healthy, or degraded while the crashed worker's replacement starts: both answer 200.
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var pool = (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("process-pool-hashes");
        Assert.Contains(pool.GetProperty("status").GetString(), new[] { "Healthy", "Degraded" });

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("supervisor_calls_completed_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("error_type=\"Supervisor.WorkerCrashedException\"", metrics, StringComparison.Ordinal);
        Assert.Contains("supervisor_workers_alive{", metrics, StringComparison.Ordinal);

        await sample.TerminateAsync();
        Assert.Equal(0, await sample.WaitForExitAsync());
        await sample.WaitForLinesAsync("Process pool hashes stopped: every worker ended");
        // Two workers at the start and the crashed one's replacement, each checked gone as the sample is disposed.
        Assert.Equal(3, sample.WorkerProcessIds().Distinct().Count());
    }

    private static async Task AssertHashesAsync(HttpClient http, string text, int rounds)
    {
        using var response = await http.PostAsJsonAsync(new Uri("/hash", UriKind.Relative), new { text, rounds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(Digests.Stretched(text, rounds), body.GetProperty("sha256").GetString());
    }
}
