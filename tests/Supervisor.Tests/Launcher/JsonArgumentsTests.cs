using System.Text;
using System.Text.Json;
using Supervisor.Launcher;

namespace Supervisor.Tests.Launcher;

public sealed class JsonArgumentsTests
{
    [Fact]
    public void An_array_is_positional_arguments_of_plain_values()
    {
        var arguments = Parse("[1, 2.5, \"x\", null, true, 18446744073709551615, [1], {\"a\": -1}]");

        Assert.Null(arguments.Named);
        var values = arguments.Positional!;
        Assert.Equal(1L, values[0]);
        Assert.Equal(2.5, values[1]);
        Assert.Equal("x", values[2]);
        Assert.Null(values[3]);
        Assert.Equal(true, values[4]);
        Assert.Equal(ulong.MaxValue, values[5]);
        Assert.Equal(new object?[] { 1L }, values[6]);
        Assert.Equal(new Dictionary<string, object?> { ["a"] = -1L }, values[7]);
    }

    [Fact]
    public void An_object_is_named_arguments()
    {
        var arguments = Parse("{\"name\": \"Ada\", \"count\": 3}");

        Assert.Null(arguments.Positional);
        Assert.Equal(new Dictionary<string, object?> { ["name"] = "Ada", ["count"] = 3L }, arguments.Named);
    }

    [Theory]
    [InlineData("7", 7L)]
    [InlineData("\"seven\"", "seven")]
    [InlineData("null", null)]
    public void Any_other_value_is_the_single_argument(string line, object? expected)
    {
        Assert.Equal([expected], Parse(line).Positional!);
    }

    [Theory]
    [InlineData("[1, 2")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    [InlineData("1 2")]
    [InlineData("nope")]
    [InlineData("[1e400]")]
    public void Invalid_json_duplicate_names_and_numbers_out_of_range_are_refused(string line)
    {
        Assert.Throws<InputLineException>(() => Parse(line));
    }

    [Fact]
    public void A_fixed_argument_is_read_as_its_parameter_type()
    {
        Assert.Equal(3, JsonArguments.ForParameter("3", typeof(int)));
        Assert.Equal(new[] { 1.5, 2 }, JsonArguments.ForParameter("[1.5, 2]", typeof(double[])));
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 1L }, JsonArguments.ForParameter("{\"a\": 1}", typeof(object)));
        Assert.ThrowsAny<JsonException>(() => JsonArguments.ForParameter("3.5", typeof(int)));
    }

    private static Arguments Parse(string line) => JsonArguments.FromLine(System.Text.Encoding.UTF8.GetBytes(line)).Arguments;
}
