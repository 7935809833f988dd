using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;
using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Encoding;

/// <summary>
/// Writes the arguments of calls into a <see cref="WorkItem"/>, in the caller's thread, after checking that
/// each value can cross a process boundary (Python checks picklability only in its feeder thread, where a
/// failure is lost). The check is cached per type, so a value of a known-safe type costs one lookup.
/// </summary>
internal sealed class ArgumentEncoder(SerializabilityChecker checker)
{
    // MessagePack's fixarray of one element: a call's arguments when it has one.
    private const byte SingleArgumentArrayHeader = 0x91;

    /// <summary>One call with a single argument.</summary>
    public void WriteSingle<T>(WorkItem item, T value)
    {
        if (PrimitiveCodec<T>.IsSupported)
        {
            // As a map's chunk of primitives: no check, the bytes written straight into the buffer, so an imap's call
            // costs no formatter lookup and no MessagePack writer, from its first run on.
            var span = item.GetSpan(1 + PrimitiveCodec<T>.MaxBytes);
            span[0] = SingleArgumentArrayHeader;
            item.Advance(1 + PrimitiveCodec<T>.Write(span[1..], value));
            item.AddCalls(1);
            return;
        }
        var writer = new MessagePackWriter(item);
        writer.WriteArrayHeader(1);
        checker.Write(ref writer, value, "args[0]");
        writer.Flush();
        item.AddCalls(1);
    }

    /// <summary>
    /// Calls with a single argument each, one per value of <paramref name="values"/> from <paramref name="start"/>
    /// up to <paramref name="end"/>: a map's chunk, written with one writer and one type lookup for all of them.
    /// </summary>
    public void WriteSingles<T>(WorkItem item, IReadOnlyList<T> values, int start, int end)
    {
        if (PrimitiveCodec<T>.IsSupported)
        {
            WritePrimitiveSingles(item, values, start, end);
            return;
        }
        var checkedValues = checker.WriterFor<T>();
        var writer = new MessagePackWriter(item);
        for (var i = start; i < end; i++)
        {
            writer.WriteArrayHeader(1);
            checkedValues.Write(ref writer, values[i], "args[0]");
        }
        writer.Flush();
        item.AddCalls(end - start);
    }

    // A primitive needs no check, and its calls are written straight into the buffer: the same bytes as MessagePack's,
    // at a few instructions a call from a caller's first map on (see PrimitiveCodec).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WritePrimitiveSingles<T>(WorkItem item, IReadOnlyList<T> values, int start, int end)
    {
        const int callBytes = 1 + PrimitiveCodec<T>.MaxBytes;
        var span = item.GetSpan((end - start) * callBytes);
        var written = 0;
        // An array or a list is read as a span: no interface call per value.
        var direct = values switch
        {
            T[] array => array.AsSpan(start, end - start),
            List<T> list => CollectionsMarshal.AsSpan(list).Slice(start, end - start),
            _ => default,
        };
        if (direct.Length == end - start)
        {
            foreach (var value in direct)
            {
                span[written++] = SingleArgumentArrayHeader;
                written += PrimitiveCodec<T>.Write(span[written..], value);
            }
        }
        else
        {
            for (var i = start; i < end; i++)
            {
                span[written++] = SingleArgumentArrayHeader;
                written += PrimitiveCodec<T>.Write(span[written..], values[i]);
            }
        }
        item.Advance(written);
        item.AddCalls(end - start);
    }

    /// <summary>One call with two arguments.</summary>
    public void WritePair<T1, T2>(WorkItem item, T1 first, T2 second)
    {
        var writer = new MessagePackWriter(item);
        writer.WriteArrayHeader(2);
        checker.Write(ref writer, first, "args[0]");
        checker.Write(ref writer, second, "args[1]");
        writer.Flush();
        item.AddCalls(1);
    }

    /// <summary>One call with <see cref="Arguments"/>, checked against the function's parameters first.</summary>
    /// <exception cref="ArgumentException">The arguments do not bind to the function's parameters.</exception>
    public void WriteArguments(WorkItem item, Function function, Arguments arguments)
    {
        ArgumentBinding.Validate(function, arguments);
        var writer = new MessagePackWriter(item);
        if (arguments.Named is { } named)
        {
            writer.WriteMapHeader(named.Count);
            foreach (var (name, value) in named)
            {
                writer.Write(name);
                WriteValue(ref writer, value, $"args[\"{name}\"]");
            }
        }
        else
        {
            var positional = arguments.Positional!;
            writer.WriteArrayHeader(positional.Count);
            for (var i = 0; i < positional.Count; i++) WriteValue(ref writer, positional[i], $"args[{i}]");
        }
        writer.Flush();
        item.AddCalls(1);
    }

    /// <summary>The argument mode a value of <paramref name="arguments"/> is sent in.</summary>
    public static ArgumentMode ModeOf(Arguments arguments) =>
        arguments.Named is null ? ArgumentMode.Positional : ArgumentMode.Named;

    private void WriteValue(ref MessagePackWriter writer, object? value, string path) =>
        checker.Write(ref writer, value, value?.GetType() ?? typeof(object), path);
}
