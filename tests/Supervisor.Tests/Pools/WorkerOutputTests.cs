using Supervisor.Processes;
using Supervisor.Tests.Support;
using UserFunctions;

namespace Supervisor.Tests.Pools;

/// <summary>What workers print reaches the output handler line by line, each line bounded.</summary>
public sealed class WorkerOutputTests
{
    private readonly QuietOutput _output = new();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_line_of_megabytes_without_a_newline_is_forwarded_cut_and_marked(bool toError)
    {
        // Held whole, such a line costs the supervisor (and the launcher) its size several times over.
        const int Chars = 5 * 1024 * 1024;
        await using (var pool = await ProcessPool.StartAsync(_output.Options(1)))
        {
            Assert.Equal(Chars, await pool.SubmitAsync(Chatter.WriteLongLine, Chars, toError));
        }

        // Disposed: the worker has exited and every line it wrote was forwarded.
        var lines = _output.Lines.Where(l => l.IsError == toError).Select(l => l.Text).ToList();
        var shown = OutputLineReader.MaxLineChars;
        Assert.Equal(new string('x', shown) + OutputLineReader.CutMarker(Chars - shown), Assert.Single(lines, l => l.StartsWith('x')));
        Assert.EndsWith("[line cut: 5177344 more characters not shown]", lines.Single(l => l.StartsWith('x')), StringComparison.Ordinal);
        Assert.Equal("after", lines[lines.FindIndex(l => l.StartsWith('x')) + 1]);
    }

    [Fact]
    public async Task Lines_end_at_each_newline_as_ReadLine_ends_them_even_across_reads()
    {
        var lines = new List<string>();
        var reader = new OutputLineReader(System.Text.Encoding.UTF8, lines.Add);
        // One byte per read: a \r\n and a two-byte character split between reads.
        await reader.ReadAsync(new OneByteStream("a\r\nb\rc\n\n\u00e9t\u00e9"u8.ToArray()), CancellationToken.None);
        Assert.Equal(["a", "b", "c", "", "\u00e9t\u00e9"], lines);
    }

    private sealed class OneByteStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
