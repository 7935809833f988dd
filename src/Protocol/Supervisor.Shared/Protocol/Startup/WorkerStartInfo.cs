using System.Globalization;

namespace Supervisor.Protocol.Startup;

/// <summary>
/// What a worker executable is told on its command line: the two inherited pipe handles, its id and name,
/// and the frame size limit. Both sides build and parse the arguments here, so they cannot drift apart.
/// </summary>
/// <param name="InputHandle">The inherited handle the worker reads frames from.</param>
/// <param name="OutputHandle">The inherited handle the worker writes frames to.</param>
/// <param name="WorkerId">The id the worker echoes in its handshake.</param>
/// <param name="Name">The worker's name, e.g. <c>worker-3</c>.</param>
/// <param name="MaxFrameBytes">The largest frame either side accepts.</param>
internal sealed record WorkerStartInfo(string InputHandle, string OutputHandle, int WorkerId, string Name, int MaxFrameBytes)
{
    private const string Flag = "--supervisor-worker";

    /// <summary>The command-line arguments that carry this information.</summary>
    public IReadOnlyList<string> ToArguments() =>
    [
        Flag, InputHandle, OutputHandle, WorkerId.ToString(CultureInfo.InvariantCulture), Name,
        MaxFrameBytes.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>Reads the information back; false when the arguments do not come from a supervisor.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out WorkerStartInfo? info)
    {
        ArgumentNullException.ThrowIfNull(args);
        info = null;
        var at = args.ToList().IndexOf(Flag);
        if (at < 0 || args.Count < at + 6) return false;
        if (!int.TryParse(args[at + 3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)) return false;
        if (!int.TryParse(args[at + 5], NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) || max < 1) return false;
        info = new WorkerStartInfo(args[at + 1], args[at + 2], id, args[at + 4], max);
        return true;
    }
}
