using System.Globalization;

namespace Supervisor.Protocol.Startup;

/// <summary>
/// A test harness's fault plan as a worker reads it at start, from the environment variable <see cref="Variable"/>:
/// which calls crash, hang or exit, which worker starts fail, and the shared-memory counters that number calls and
/// starts across every worker of the plan. Only a supervisor's options set it (the supervisor removes one it
/// inherited), never a frame, so nothing that can write to a worker's pipe can turn faults on.
/// </summary>
/// <param name="CountersPath">The shared-memory block of <see cref="CounterCount"/> ints: calls, then starts.</param>
/// <param name="Calls">The calls that fail.</param>
/// <param name="FailingStarts">The worker start numbers (from 1) that fail.</param>
/// <param name="FirstCallInitializes">Whether each worker's first call (after the forkserver warm-up) is the pool's initializer, which is not counted.</param>
internal sealed record FaultRules(string CountersPath, IReadOnlyList<CallFault> Calls, IReadOnlyList<int> FailingStarts, bool FirstCallInitializes)
{
    /// <summary>The environment variable that carries the rules to a worker.</summary>
    public const string Variable = "SUPERVISOR_FAULT_PLAN";

    /// <summary>Index of the call counter in the counters block.</summary>
    public const int CallCounter = 0;

    /// <summary>Index of the start counter in the counters block.</summary>
    public const int StartCounter = 1;

    /// <summary>How many counters the block holds.</summary>
    public const int CounterCount = 2;

    private const string Version = "1";
    private const int FieldCount = 5;

    /// <summary>
    /// <c>1|initializer|starts|calls|path</c>: 0 or 1, start numbers separated by commas, calls as <c>n:crash</c>,
    /// <c>n:hang</c> or <c>n:exit:code</c> separated by commas, and the counters' path last, so that it may hold any character.
    /// </summary>
    public string Format() => string.Join('|',
        Version,
        FirstCallInitializes ? "1" : "0",
        string.Join(',', FailingStarts.Select(start => start.ToString(CultureInfo.InvariantCulture))),
        string.Join(',', Calls.Select(Format)),
        CountersPath);

    /// <summary>Reads what <see cref="Format()"/> wrote.</summary>
    /// <exception cref="FormatException">The value is not a fault plan of this version; the message says which part.</exception>
    public static FaultRules Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = value.Split('|', FieldCount);
        if (fields.Length != FieldCount || fields[0] != Version) throw new FormatException($"'{value}' is not a version {Version} fault plan (version|initializer|starts|calls|path).");
        if (fields[1] is not ("0" or "1")) throw new FormatException($"The initializer field is '{fields[1]}', not 0 or 1.");
        if (fields[4].Length == 0) throw new FormatException("The counters' path is empty.");
        var starts = Items(fields[2]).Select(text => Positive(Integer(text, "start"), "start")).ToList();
        var calls = Items(fields[3]).Select(ParseCall).ToList();
        return new FaultRules(fields[4], calls, starts, fields[1] == "1");
    }

    private static string Format(CallFault fault) => fault.Kind switch
    {
        CallFaultKind.Crash => $"{fault.Call.ToString(CultureInfo.InvariantCulture)}:crash",
        CallFaultKind.Hang => $"{fault.Call.ToString(CultureInfo.InvariantCulture)}:hang",
        CallFaultKind.Exit => $"{fault.Call.ToString(CultureInfo.InvariantCulture)}:exit:{fault.ExitCode.ToString(CultureInfo.InvariantCulture)}",
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Not a call fault."),
    };

    private static CallFault ParseCall(string text)
    {
        var parts = text.Split(':');
        var call = Positive(Integer(parts[0], "call"), "call");
        return parts switch
        {
            [_, "crash"] => new CallFault(call, CallFaultKind.Crash, 0),
            [_, "hang"] => new CallFault(call, CallFaultKind.Hang, 0),
            [_, "exit", var code] => new CallFault(call, CallFaultKind.Exit, Integer(code, "exit code")),
            _ => throw new FormatException($"The call fault '{text}' is none of n:crash, n:hang, n:exit:code."),
        };
    }

    private static string[] Items(string field) => field.Length == 0 ? [] : field.Split(',');

    private static int Integer(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"The {what} '{text}' is not a whole number.");

    private static int Positive(int number, string what) =>
        number >= 1 ? number : throw new FormatException($"The {what} number {number} is not 1 or more.");
}
