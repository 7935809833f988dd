using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>
/// A map of a function taking and returning primitives runs its chunks on spans (PrimitiveCodec) on both sides:
/// the values must come back exactly, in order, whatever their encoding, and a call that throws fails as before.
/// </summary>
public sealed class PrimitiveMapTests
{
    private readonly QuietOutput _output = new();

    [Fact]
    public async Task Values_of_every_integer_form_come_back_exactly_in_input_order()
    {
        var values = Enumerable.Range(-70_000, 140_000).Select(i => (long)i * 3)
            .Concat([long.MinValue, long.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue, -33, -32, 127, 128]).ToArray();
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));

        var results = await pool.MapAsync(Plain.Identity, values, chunkSize: 1000);

        Assert.Equal(values, results);
    }

    [Fact]
    public async Task A_call_that_throws_inside_a_chunk_fails_the_map_with_its_exception()
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));
        var items = Enumerable.Range(-500, 1000).ToArray();

        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.MapAsync(Plain.HundredDividedBy, items, chunkSize: 1000));

        Assert.Equal(typeof(DivideByZeroException).FullName, error.RemoteType);
        // The worker goes on: the calls after the one that threw ran, and the pool takes the next map.
        Assert.Equal(items.Where(i => i != 0).Select(i => 100 / i), await pool.MapAsync(Plain.HundredDividedBy, items.Where(i => i != 0), chunkSize: 999));
    }

    [Fact]
    public async Task An_imap_s_primitive_calls_come_back_exactly_in_input_order_and_unordered_each_once()
    {
        // Enough calls that results overtake each other between two workers and the stream's outcome window grows.
        var values = new long[] { long.MinValue, long.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue, -33, -32, 127, 128 }
            .Concat(Enumerable.Range(-3_000, 6_000).Select(i => (long)i * 7)).ToArray();
        await using var pool = await ProcessPool.StartAsync(_output.Options(2));

        var ordered = await pool.Imap(Plain.Identity, values).ToListAsync();
        var unordered = await pool.ImapUnordered(Plain.Identity, values).ToListAsync();

        Assert.Equal(values, ordered);
        Assert.Equal(values.Order(), unordered.Order());
    }

    [Fact]
    public async Task Doubles_come_back_bit_for_bit()
    {
        var values = new[] { 0.0, -0.0, double.NaN, double.NegativeInfinity, double.Epsilon, 1.0 / 3, -1e308 };
        await using var pool = await ProcessPool.StartAsync(_output.Options(1));

        var results = await pool.MapAsync(static (double x) => x, values);

        Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), results.Select(BitConverter.DoubleToInt64Bits));
    }
}
