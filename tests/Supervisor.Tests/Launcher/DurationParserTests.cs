using Supervisor.Launcher;

namespace Supervisor.Tests.Launcher;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(" 10s ", 10_000)]
    public void Reads_a_number_and_a_unit(string text, int milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("", "not a duration")]
    [InlineData("30", "not a duration")]
    [InlineData("s", "not a duration")]
    [InlineData("30x", "unknown unit 'x'")]
    [InlineData("30S", "not a duration")]
    [InlineData("0s", "not a positive duration")]
    [InlineData("-5s", "does not start with a number")]
    [InlineData("1,5s", "does not start with a number")]
    [InlineData("99999999999h", "not a positive duration within range")]
    public void Says_what_is_wrong_with_anything_else(string text, string message)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
