using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Supervisor.Protocol.Serialization;

/// <summary>
/// The types that must never be sent, whatever MessagePack says: the contractless resolver happily writes a
/// SafeFileHandle or a CancellationTokenSource as <c>{}</c>, so the worker would get an empty, useless object.
/// </summary>
internal static class CrossingRules
{
    // Immutable and shared: the rules are facts about types, not state.
    private static readonly ImmutableArray<CrossingRule> All =
    [
        // First: a ref struct cannot even be boxed, so nothing below could look at one.
        new(static t => t.IsByRefLike,
            "a ref struct (such as Span<T>) lives on the stack and cannot be serialized",
            "copy it into an array (span.ToArray()) and pass that"),
        new(static t => IsA(t, typeof(Delegate)),
            "a delegate cannot cross a process boundary",
            "pass data and call a public static method in the worker"),
        new(static t => IsA(t, typeof(SafeHandle), typeof(CriticalHandle)),
            "an OS handle cannot cross a process boundary",
            "pass the file's path and open it in the worker"),
        new(static t => t.IsPointer || t.IsFunctionPointer || t.IsUnmanagedFunctionPointer
                        || t == typeof(IntPtr) || t == typeof(UIntPtr) || t == typeof(GCHandle) || t == typeof(HandleRef),
            "a memory address means nothing in another process",
            "pass the data itself (for example copied into a byte[]) instead of a pointer to it"),
        new(static t => IsA(t, typeof(Stream), typeof(TextReader), typeof(TextWriter), typeof(BinaryReader), typeof(BinaryWriter)),
            "a stream cannot cross a process boundary",
            "pass the file's path (or the content as a byte[] or string) and open it in the worker"),
        new(static t => IsA(t, typeof(FileSystemInfo)),
            "a FileInfo or DirectoryInfo does not serialize as the path it names",
            "pass the path string and create the FileInfo or DirectoryInfo in the worker"),
        new(static t => IsA(t, typeof(Task), typeof(ValueTask), typeof(TaskCompletionSource))
                        || IsGeneric(t, typeof(ValueTask<>), typeof(TaskCompletionSource<>)),
            "a task is work in progress inside this process",
            "await it and pass its result"),
        new(static t => IsA(t, typeof(CancellationTokenSource), typeof(CancellationToken), typeof(CancellationTokenRegistration)),
            "a cancellation token only works inside the process that created it",
            "create the token in the worker; stop remote work through the supervisor (terminate the worker or send it a message)"),
        new(static t => IsA(t, typeof(Thread), typeof(WaitHandle), typeof(SemaphoreSlim), typeof(ManualResetEventSlim),
                            typeof(CountdownEvent), typeof(Barrier), typeof(ReaderWriterLockSlim), typeof(Lock),
                            typeof(ITimer), typeof(PeriodicTimer), typeof(System.Timers.Timer),
                            typeof(SynchronizationContext), typeof(TaskScheduler), typeof(ExecutionContext))
                        || IsGeneric(t, typeof(ThreadLocal<>), typeof(AsyncLocal<>)),
            "threads, locks and timers belong to the process that created them",
            "create them in the worker (a named Mutex, Semaphore or EventWaitHandle can be opened there by its name)"),
        // Python's "Queue objects should only be shared between processes through inheritance" (Python experiment 001).
        new(static t => IsGeneric(t, typeof(Channel<,>), typeof(ChannelReader<>), typeof(ChannelWriter<>), typeof(BlockingCollection<>)),
            "an in-process queue would arrive as a copy: what the worker puts would never come back",
            "create a shared queue with a ProcessManager (manager.CreateQueue<T>()) and pass that"),
        new(static t => IsA(t, typeof(Process)),
            "a Process object is a handle to a running OS process",
            "pass its Id and call Process.GetProcessById in the worker"),
        new(static t => IsA(t, typeof(Socket), typeof(TcpClient), typeof(UdpClient), typeof(TcpListener),
                            typeof(HttpMessageInvoker), typeof(HttpMessageHandler), typeof(WebSocket)),
            "a network connection cannot cross a process boundary",
            "pass the address (host and port, or a URI) and connect in the worker"),
        new(static t => IsA(t, typeof(MemberInfo), typeof(Assembly), typeof(Module), typeof(ParameterInfo), typeof(AppDomain)),
            "type names do not cross the wire here",
            "pass a plain value (a string or an enum) and map it to the type or member in the worker"),
    ];

    /// <summary>The first rule that refuses <paramref name="type"/>, or null when none does.</summary>
    public static CrossingRule? Find(Type type)
    {
        foreach (var rule in All)
        {
            if (rule.Matches(type)) return rule;
        }
        return null;
    }

    private static bool IsA(Type type, params ReadOnlySpan<Type> bases)
    {
        foreach (var candidate in bases)
        {
            if (candidate.IsAssignableFrom(type)) return true;
        }
        return false;
    }

    private static bool IsGeneric(Type type, params ReadOnlySpan<Type> definitions)
    {
        // Walk the base classes too, so a subclass of ThreadLocal<T> is caught as well.
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (!current.IsGenericType) continue;
            var definition = current.GetGenericTypeDefinition();
            foreach (var candidate in definitions)
            {
                if (definition == candidate) return true;
            }
        }
        return false;
    }
}
