using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The head of a task: <see cref="Count"/> calls of one function. The calls' arguments follow it in the
/// same array, each one a complete MessagePack value laid out per <see cref="Mode"/>.
/// </summary>
/// <param name="TaskId">Unique per supervisor connection; results name it.</param>
/// <param name="FunctionId">A function the worker was told of by a <see cref="DefineMessage"/>.</param>
/// <param name="Mode">Positional or named arguments.</param>
/// <param name="Count">How many calls (a chunk of a map is several).</param>
/// <param name="ReportEachCall">
/// The worker sends what it has before each call instead of gathering results: the supervisor sends such a task
/// alone, after a worker died holding it among others, so that a crash now names its call.
/// </param>
internal readonly record struct TaskMessage(long TaskId, int FunctionId, ArgumentMode Mode, int Count, bool ReportEachCall = false)
{
    internal const int FieldCount = 5;

    /// <summary>Writes the head; the caller writes the calls' arguments right after, as one array of <see cref="Count"/>.</summary>
    public void WriteHead(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Task, FieldCount);
        writer.Write(TaskId);
        writer.Write(FunctionId);
        writer.Write((byte)Mode);
        writer.Write(ReportEachCall);
        writer.WriteArrayHeader(Count);
    }

    /// <summary>Reads the head; the reader is left at the first call's arguments.</summary>
    public static TaskMessage ReadHead(ref MessagePackReader reader)
    {
        var id = reader.ReadInt64();
        var function = reader.ReadInt32();
        var mode = reader.ReadByte();
        if (mode > (byte)ArgumentMode.Named) throw new ProtocolException($"Unknown argument mode {mode}.");
        var reportEachCall = reader.ReadBoolean();
        var count = reader.ReadArrayHeader();
        if (count < 1) throw new ProtocolException("A task held no calls.");
        return new TaskMessage(id, function, (ArgumentMode)mode, count, reportEachCall);
    }
}
