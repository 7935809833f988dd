using Supervisor.Pipelines;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>
/// Every call site takes a delegate or a Function the same way, and a typed Function needs no type arguments:
/// Python's pool.map(partial(cal_pow, exponent=2), xs) has a direct form.
/// </summary>
public sealed class FunctionCallSiteTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task A_bound_function_maps_imaps_and_submits_without_type_arguments()
    {
        var calPow = Function.FromDelegate<double>(Plain.CalPow).Bind("exponent", 2);
        double[] items = [1, 2, 3, 4, 5];
        double[] squares = [1, 4, 9, 16, 25];
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));

        Assert.Equal(squares, await pool.MapAsync(calPow, items));
        Assert.Equal(squares, await pool.Imap(calPow, items).ToArrayAsync());
        Assert.Equal(squares, (await pool.ImapUnordered(calPow, items).ToArrayAsync()).Order());
        Assert.Equal(49.0, await pool.SubmitAsync(calPow, Arguments.Of(7.0)));
        Assert.Equal(8.0, await pool.SubmitAsync(Function.FromDelegate<double>(Plain.CalPow), Arguments.Of(2.0, 3)));
    }

    [Fact]
    public async Task A_function_starmaps_over_pairs_as_a_delegate_does()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));
        (int, int)[] pairs = [(1, 2), (3, 4), (5, 6)];

        Assert.Equal(new[] { 3, 7, 11 }, await pool.StarmapAsync(Function.FromDelegate<int>(Plain.Add), pairs));
        Assert.Equal(new[] { 3, 7, 11 }, await pool.StarmapAsync(Plain.Add, pairs));
    }

    [Fact]
    public async Task A_function_that_leaves_the_wrong_number_of_parameters_for_the_item_is_refused_before_sending()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => pool.MapAsync(Function.FromDelegate<double>(Plain.CalPow), new[] { 1.0, 2.0 }));
        Assert.Contains("exponent", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, 4 }, await pool.MapAsync(Plain.Square, new[] { 1, 2 }));
    }

    [Fact]
    public async Task A_pipeline_process_stage_takes_a_delegate_or_a_typed_function()
    {
        var results = await Pipeline.From(Enumerable.Range(1, 5))
            .ThenInProcesses(Plain.Square, workers: 1, _output.Options(1))
            .ThenInProcesses(Function.FromDelegate<int>(Plain.Add).Bind("b", 1), workers: 1, _output.Options(1))
            .RunAsync()
            .ToArrayAsync();

        Assert.Equal([2, 5, 10, 17, 26], results.Order());
    }

    [Fact]
    public async Task The_initializer_takes_a_method_group_as_it_takes_a_function()
    {
        var options = _output.Options(1);
        options.SetInitializer(Statics.SetPrefix, Arguments.Of("ready"));
        await using var pool = await ProcessPool.StartAsync(options);

        Assert.Equal(Function.FromDelegate(Statics.SetPrefix).Name, options.Initializer!.Name);
        Assert.Equal("ready:a", await pool.SubmitAsync(Statics.WithPrefix, "a"));
    }

    [Fact]
    public void An_initializer_lambda_that_captures_state_is_refused_as_at_every_call_site()
    {
        var prefix = "captured";
        var options = new WorkerOptions();

        var error = Assert.Throws<UnserializableValueException>(() => options.SetInitializer(() => Statics.SetPrefix(prefix)));
        Assert.Contains("prefix", error.Message, StringComparison.Ordinal);
        Assert.Null(options.Initializer);
    }

    [Fact]
    public async Task A_process_with_a_result_takes_a_method_group_and_gives_back_its_value()
    {
        await using var process = new WorkerProcess<int>(Plain.Square, Arguments.Of(6), _output.Options(1));
        await process.StartAsync();

        Assert.Equal(36, await process.GetResultAsync());
        Assert.True(await process.JoinAsync());
        Assert.Throws<ArgumentException>(() => new WorkerProcess<string>(Plain.Square, Arguments.Of(6)));
    }

    [Fact]
    public void Typed_arguments_keep_each_value_in_place_and_an_array_is_still_spread()
    {
        Assert.Equal([1, "two", 3.0], Arguments.Of(1, "two", 3.0).Positional!);
        Assert.Equal([null], Arguments.Of<string?>(null).Positional!);
        Assert.Equal([1, 2], Arguments.Of(new object?[] { 1, 2 }).Positional!);
    }

    [Fact]
    public void A_typed_function_whose_method_returns_another_type_is_refused_naming_both()
    {
        var error = Assert.Throws<ArgumentException>(() => Function.FromDelegate<string>(Plain.Square));
        Assert.Contains("UserFunctions.Plain.Square returns Int32, which cannot be read as String", error.Message, StringComparison.Ordinal);
    }
}
