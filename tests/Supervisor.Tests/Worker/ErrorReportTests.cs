using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Worker;

/// <summary>
/// However odd the user's exception (a null message, getters that throw, an IOException from a getter, a message of
/// 70 MB), its worker reports it as that call's error and stays up.
/// </summary>
public sealed class ErrorReportTests
{
    private readonly QuietOutput _output = new();

    [Theory]
    [InlineData("null-message", "UserFunctions.OddExceptions+NullMessageException", "(its Message is null)")]
    [InlineData("throwing-message", "UserFunctions.OddExceptions+ThrowingGetterException", "(its Message threw System.InvalidOperationException: the getter broke)")]
    [InlineData("io-from-message", "UserFunctions.OddExceptions+ThrowingGetterException", "(its Message threw System.IO.IOException: the getter read a closed file)")]
    [InlineData("huge-message", "System.InvalidOperationException", "xxxx")]
    public async Task An_odd_exception_is_that_calls_error_and_the_worker_stays_up(string kind, string type, string message)
    {
        await using var pool = await ProcessPool.StartAsync(_output.Options(1) with { Retries = 0, MaxRestarts = 0 });
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(OddExceptions.Throw, kind));
        Assert.Equal(type, error.RemoteType);
        Assert.StartsWith(message, error.RemoteMessage, StringComparison.Ordinal);
        // Clipped to a bound that fits a frame, and said so.
        Assert.InRange(error.RemoteMessage.Length, 1, 65 * 1024);
        if (kind == "huge-message") Assert.EndsWith($"... (cut: {70 * 1024 * 1024} characters in all)", error.RemoteMessage, StringComparison.Ordinal);
        Assert.Equal("next", await pool.SubmitAsync(OddExceptions.Throw, "next"));
        Assert.Single(pool.StartedProcessIds);
    }
}
