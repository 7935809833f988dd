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
        if (!TryParseHandle(args[at + 1], out _) || !TryParseHandle(args[at + 2], out _)) return false;
        if (!TryParseCount(args[at + 3], out var id)) return false;
        if (!TryParseCount(args[at + 5], out var max) || max < 1) return false;
        info = new WorkerStartInfo(args[at + 1], args[at + 2], id, args[at + 4], max);
        // Without them (a command line built by hand) every frame crosses the pipe.
        if (args.Count < at + 8 || args[at + 6] == NoPayloadHandle) return true;
        if (!TryParseCount(args[at + 7], out var slotBytes) || slotBytes < 1) return false;
        info = info with { PayloadHandle = args[at + 6], PayloadSlotBytes = slotBytes };
        return true;
    }

    /// <summary>Reads an inherited handle's number, as <see cref="TryParse"/> checked it.</summary>
    public static bool TryParseHandle(string text, out nint handle)
    {
        var parsed = TryParseDigits(text, nint.MaxValue, out var value);
        handle = (nint)value;
        return parsed;
    }

    private static bool TryParseCount(string text, out int count)
    {
        var parsed = TryParseDigits(text, int.MaxValue, out var value);
        count = (int)value;
        return parsed;
    }

    // Digits by hand: every number parser of the framework goes through a NumberFormatInfo, and the first use of one,
    // even the invariant one, loads the culture data (ICU on Linux): milliseconds of every worker's start that user code
    // may never need. The supervisor writes plain decimal digits.
    private static bool TryParseDigits(string text, long max, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 18) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = (value * 10) + (c - '0');
        }
        return value <= max;
    }
}
