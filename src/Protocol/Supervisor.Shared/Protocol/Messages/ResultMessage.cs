using System.Buffers.Binary;
using MessagePack;
using Supervisor.Protocol.Framing;

namespace Supervisor.Protocol.Messages;

/// <summary>
/// The head of a run of successful outcomes: <see cref="Count"/> consecutive calls of one task, from
/// <see cref="FirstItem"/> on. Their returned values follow in the same array, one complete MessagePack value
/// each, so a chunk of a map answers in a few frames instead of one per call.
/// </summary>
/// <param name="TaskId">The task the calls belong to.</param>
/// <param name="FirstItem">The first call's position within its task (0 for a single call).</param>
/// <param name="ElapsedMicroseconds">How long the calls ran in the worker, together, for the dispatcher's window.</param>
/// <param name="Count">How many values follow.</param>
/// <remarks>
/// A worker learns the elapsed time and the count only when the run ends, so it writes them last, in place:
/// <see cref="WriteHead"/> gives them fixed widths (an int64 and an array32 header), which
/// <see cref="WriteTail"/> overwrites. Readers accept any encoding.
/// </remarks>
internal readonly record struct ResultMessage(long TaskId, int FirstItem, long ElapsedMicroseconds, int Count)
{
    /// <summary>Bytes of the fixed-width end of the head: the elapsed time and the values' array header.</summary>
    public const int TailBytes = 9 + 5;

    internal const int FieldCount = 4;

    /// <summary>Writes the head; the caller writes the <see cref="Count"/> values right after.</summary>
    public void WriteHead(ref MessagePackWriter writer)
    {
        Envelope.WriteHeader(ref writer, MessageKind.Result, FieldCount);
        writer.Write(TaskId);
        writer.Write(FirstItem);
        var tail = writer.GetSpan(TailBytes);
        WriteTail(tail, ElapsedMicroseconds, Count);
        writer.Advance(TailBytes);
    }

    /// <summary>Fills in the tail of a head written by <see cref="WriteHead"/> (its last <see cref="TailBytes"/> bytes).</summary>
    public static void WriteTail(Span<byte> tail, long elapsedMicroseconds, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tail.Length, TailBytes);
        tail[0] = MessagePackCode.Int64;
        BinaryPrimitives.WriteInt64BigEndian(tail[1..], elapsedMicroseconds);
        tail[9] = MessagePackCode.Array32;
        BinaryPrimitives.WriteUInt32BigEndian(tail[10..], (uint)count);
    }

    /// <summary>Reads the head; the reader is left at the first value.</summary>
    /// <exception cref="ProtocolException">The run holds no values.</exception>
    public static ResultMessage ReadHead(ref MessagePackReader reader)
    {
        var head = new ResultMessage(reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadArrayHeader());
        if (head.Count < 1) throw new ProtocolException($"A result of task {head.TaskId} held no values.");
        return head;
    }
}
