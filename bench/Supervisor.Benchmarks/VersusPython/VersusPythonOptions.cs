namespace Supervisor.Benchmarks.VersusPython;

/// <summary>
/// What <c>--vs-python</c> runs: <paramref name="Pairs"/> pairs of runs, ours then Python's peer.
/// </summary>
/// <param name="Pairs">How many ours-then-Python pairs (<c>--pairs</c>); default 3.</param>
/// <param name="Python">The Python interpreter (<c>--python</c>); default <c>python3</c>, <c>python</c> on Windows.</param>
/// <param name="Peer">Python's peer benchmark (<c>--peer</c>); default <c>../shared/bench/python_mp.py</c> from the working directory.</param>
/// <param name="OurArguments">The rest of the command line, for each of our runs (<c>--quick</c>, <c>--only</c>, <c>--aot-worker</c>).</param>
internal sealed record VersusPythonOptions(int Pairs, string Python, string Peer, IReadOnlyList<string> OurArguments)
{
    /// <summary>The default of <see cref="Pairs"/>: the least that gives a median against one disturbed run.</summary>
    public const int DefaultPairs = 3;

    /// <summary>The default of <see cref="Peer"/>, relative to the checkout's root as ./build.sh runs it.</summary>
    public static readonly string DefaultPeer = Path.Combine("..", "shared", "bench", "python_mp.py");

    /// <summary>The default of <see cref="Python"/>.</summary>
    public static string DefaultPython => OperatingSystem.IsWindows() ? "python" : "python3";
}
