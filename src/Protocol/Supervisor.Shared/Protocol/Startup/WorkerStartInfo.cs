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
/// <param name="PayloadHandle">
/// The inherited descriptor of the connection's shared memory for large frames (see <c>Payloads/PayloadArena</c>), or
/// null when every frame crosses the pipe.
/// </param>
/// <param name="PayloadSlotBytes">The size of one slot of that shared memory; 0 without it.</param>
internal sealed record WorkerStartInfo(
    string InputHandle, string OutputHandle, int WorkerId, string Name, int MaxFrameBytes, string? PayloadHandle = null, int PayloadSlotBytes = 0)
{
    private const string Flag = "--supervisor-worker";
    private const string NoPayloadHandle = "-";

    /// <summary>The command-line arguments that carry this information.</summary>
    public IReadOnlyList<string> ToArguments() =>
    [
        Flag, InputHandle, OutputHandle, WorkerId.ToString(CultureInfo.InvariantCulture), Name,
        MaxFrameBytes.ToString(CultureInfo.InvariantCulture), PayloadHandle ?? NoPayloadHandle,
        PayloadSlotBytes.ToString(CultureInfo.InvariantCulture),
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
        // Without them (a command line built by hand) every frame crosses the pipe.
        if (args.Count < at + 8 || args[at + 6] == NoPayloadHandle) return true;
        if (!int.TryParse(args[at + 7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var slotBytes) || slotBytes < 1) return false;
        info = info with { PayloadHandle = args[at + 6], PayloadSlotBytes = slotBytes };
        return true;
    }
}
