using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Worker.Execution;

/// <summary>A chunk's results travel in runs: one frame for consecutive successes, ended by an error or a full frame.</summary>
public sealed class ResultRunTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_failing_call_inside_a_chunk_fails_alone_and_the_calls_around_it_return()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var calls = new[] { 1, 2, 0, 4, 0, 5 }.Select(x => Arguments.Of(x)).ToAsyncEnumerable();

        var outcomes = await pool.ImapOutcomes<int>(Function.FromDelegate(Plain.HundredDividedBy), calls, chunkSize: 6).ToListAsync();

        Assert.Equal([0, 1, 2, 3, 4, 5], outcomes.Select(o => o.Index));
        Assert.Equal([100, 50, 0, 25, 0, 20], outcomes.Select(o => o.Value));
        Assert.Equal([false, false, true, false, true, false], outcomes.Select(o => o.Error is RemoteTaskException { RemoteType: "System.DivideByZeroException" }));
    }

    [Fact]
    public async Task A_result_too_large_for_a_frame_fails_alone_and_one_too_large_to_join_the_run_gets_a_frame_of_its_own()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1) with { MaxFrameBytes = 1024 });
        var calls = new[] { 10, 5000, 10, 600, 600 }.Select(x => Arguments.Of(x)).ToAsyncEnumerable();

        var outcomes = await pool.ImapOutcomes<string>(Function.FromDelegate(Plain.Text), calls, chunkSize: 5).ToListAsync();

        Assert.Equal([10, 0, 10, 600, 600], outcomes.Select(o => o.Value?.Length ?? 0));
        var tooLarge = Assert.IsType<RemoteTaskException>(outcomes[1].Error);
        Assert.Contains("more than the maximum frame size of 1024 bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.All(outcomes.Where(o => o.Index != 1), o => Assert.Null(o.Error));
    }

    [Fact]
    public async Task An_argument_of_the_wrong_type_is_refused_by_name_on_the_fast_path_too()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));

        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync<int>(Function.FromDelegate(Plain.Square), Arguments.Of("seven")));

        Assert.Equal("System.ArgumentException", error.RemoteType);
        Assert.Contains("argument 'x' cannot be read as Int32", error.Message, StringComparison.Ordinal);
        Assert.Equal(49, await pool.SubmitAsync(Plain.Square, 7));
    }
}
