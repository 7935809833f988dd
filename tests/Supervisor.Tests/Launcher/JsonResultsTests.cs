using System.Text;
using System.Text.Json;
using Supervisor.Launcher;

namespace Supervisor.Tests.Launcher;

public sealed class JsonResultsTests
{
    [Fact]
    public void Untyped_messagepack_values_become_json()
    {
        var value = new Dictionary<object, object?>
        {
            ["small"] = (byte)1,
            [2] = new object?[] { (sbyte)-2, (ushort)3, 4u, 5L, ulong.MaxValue, 1.5f, 0.1, true, null, "é" },
            ["bytes"] = new byte[] { 1, 2, 3 },
            ["odd"] = new object[] { double.NaN, float.PositiveInfinity, double.NegativeInfinity },
        };

        Assert.Equal(
            "{\"small\":1,\"2\":[-2,3,4,5,18446744073709551615,1.5,0.1,true,null,\"é\"],\"bytes\":\"AQID\",\"odd\":[\"NaN\",\"Infinity\",\"-Infinity\"]}",
            Write(value));
    }

    [Fact]
    public async Task Each_call_is_one_line_with_its_input_position()
    {
        using var stream = new MemoryStream();
        var results = new JsonResults(stream);

        await results.WriteResultAsync(0, "ok");
        await results.WriteFailureAsync(6, new CallFailure("System.DivideByZeroException", "Attempted to divide by zero."));
        await results.FlushAsync();

        Assert.Equal(
            "{\"index\":0,\"line\":1,\"result\":\"ok\"}\n" +
            "{\"index\":6,\"line\":7,\"error\":{\"type\":\"System.DivideByZeroException\",\"message\":\"Attempted to divide by zero.\"}}\n",
            System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        await results.DisposeAsync();
    }

    private static string Write(object? value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonResults.WriteValue(writer, value);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
