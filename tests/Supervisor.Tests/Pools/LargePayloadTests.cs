using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>Arguments and results larger than a pipe's buffer, sent from where they are rather than copied into a frame.</summary>
public sealed class LargePayloadTests
{
    // Above the pipe's 1 MiB, the frame writer's attach threshold and the worker's large-object threshold.
    private const int Size = 3 * 1024 * 1024;

    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Payloads_larger_than_the_pipe_buffer_are_echoed_intact_and_in_order()
    {
        var payloads = Enumerable.Range(0, 12).Select(Payload).ToList();
        var echoed = new List<byte[]>();
        await using (var pool = await ProcessPool.StartAsync(_output.Options(2)))
        {
            await foreach (var result in pool.Imap(Plain.Echo, payloads)) echoed.Add(result);
        }
        Assert.Equal(payloads.Count, echoed.Count);
        for (var i = 0; i < payloads.Count; i++) Assert.True(payloads[i].AsSpan().SequenceEqual(echoed[i]), $"payload {i} came back changed");
    }

    [Fact]
    public async Task A_large_task_held_by_a_killed_worker_is_sent_again_intact()
    {
        using var temp = new TempDirectory();
        var options = new WorkerOptions { Workers = 1, Output = _output.Add, Retries = 1 };
        await using var pool = await ProcessPool.StartAsync(options);
        var victim = pool.Workers.Single();
        // Quick calls first widen the worker's window, so the large task is sent behind the blocked one.
        await pool.MapAsync(Plain.Square, Enumerable.Range(0, 100));
        var marker = temp.File("first-attempt");
        var blocked = pool.SubmitAsync<int>(Function.FromDelegate(Blocking.BlockOnFirstAttempt), Arguments.Of(marker));
        FileGate.WaitFor(marker, TimeSpan.FromSeconds(60));
        var payload = Payload(1);
        var echo = pool.SubmitAsync(Plain.Echo, payload);
        Signal.Kill(victim.ProcessId);
        Assert.Equal(2, await blocked);
        var echoed = await echo;
        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    private static byte[] Payload(int seed)
    {
        var bytes = new byte[Size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
