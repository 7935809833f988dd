using Supervisor.Protocol.Startup;

namespace Supervisor.Tests.Protocol.Startup;

public sealed class WorkerStartInfoTests
{
    [Fact]
    public void The_arguments_read_back_as_written()
    {
        var info = new WorkerStartInfo("17", "23", 4, "worker-4", 1 << 20, "31", 65536);

        Assert.True(WorkerStartInfo.TryParse(["--other", .. info.ToArguments()], out var read));
        Assert.Equal(info, read);
        Assert.True(WorkerStartInfo.TryParseHandle(read!.InputHandle, out var input));
        Assert.Equal(17, input);
    }

    [Theory]
    [InlineData("x", "23", "4", "1024")]
    [InlineData("17", "-23", "4", "1024")]
    [InlineData("17", "23", "4.0", "1024")]
    [InlineData("17", "23", "", "1024")]
    [InlineData("17", "23", "4", "0")]
    [InlineData("17", "23", "4", "2147483648")]
    [InlineData("17", "23", "4", "9999999999999999999999")]
    public void A_command_line_with_a_number_that_is_not_plain_digits_in_range_is_not_a_workers(string input, string output, string id, string maxFrame)
    {
        Assert.False(WorkerStartInfo.TryParse(["--supervisor-worker", input, output, id, "worker-4", maxFrame], out var info));
        Assert.Null(info);
    }
}
