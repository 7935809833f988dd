using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MessagePack;
using MessagePack.Resolvers;
using Supervisor.Protocol.Serialization;
using Supervisor.Tests.Protocol.Serialization.Models;
using Xunit;

namespace Supervisor.Tests.Protocol.Serialization;

public sealed class SerializabilityCheckerTests : IDisposable
{
    private const string HandleReason = "an OS handle cannot cross a process boundary";
    private const string StreamReason = "a stream cannot cross a process boundary";
    private const string DelegateReason = "a delegate cannot cross a process boundary";
    private const string ThreadingReason = "threads, locks and timers belong to the process that created them";
    private const string CancellationReason = "a cancellation token only works inside the process that created it";
    private const string NetworkReason = "a network connection cannot cross a process boundary";

    private static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(ContractlessStandardResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly SerializabilityChecker _checker = new(Options);
    private readonly string _tempPath = Path.Combine(Path.GetTempPath(), $"serializability-{Guid.NewGuid():N}.tmp");

    public void Dispose() => File.Delete(_tempPath);

    private FileStream OpenTempFile() => new(_tempPath, FileMode.Create, FileAccess.ReadWrite);

    private UnserializableValueException Refused(object? value, Type declaredType, string path = "args[0]") =>
        Assert.Throws<UnserializableValueException>(() => _checker.Check(value, declaredType, path));

    [Fact]
    public void Check_ClassHoldingAnOpenFileHandle_NamesPathTypeReasonAndAdvice()
    {
        using var file = OpenTempFile();
        var job = new Job { Name = "copy", Writer = new FileWriter(file.SafeFileHandle) };

        var error = Refused(job, typeof(Job));

        Assert.Equal(
            "args[0].Writer.Handle (SafeFileHandle): an OS handle cannot cross a process boundary; pass the file's path and open it in the worker",
            error.Message);
        Assert.Equal("args[0].Writer.Handle", error.Path);
        Assert.Equal(file.SafeFileHandle.GetType(), error.ValueType);
        Assert.Equal(HandleReason, error.Reason);
        Assert.Equal("pass the file's path and open it in the worker", error.Advice);
    }

    [Fact]
    public void Check_StreamMember_IsRefusedAtTheMemberWithItsRuntimeType()
    {
        using var log = new MemoryStream();

        var error = Refused(new LogSink { Name = "audit", Log = log }, typeof(LogSink), "args[2]");

        Assert.Equal("args[2].Log", error.Path);
        Assert.Equal(typeof(MemoryStream), error.ValueType);
        Assert.Equal(StreamReason, error.Reason);
        Assert.StartsWith("args[2].Log (MemoryStream): a stream cannot cross a process boundary; pass the file's path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NullStreamMember_IsStillRefusedByItsDeclaredType()
    {
        var error = Refused(new LogSink { Name = "audit", Log = null }, typeof(LogSink));

        Assert.Equal("args[0].Log", error.Path);
        Assert.Equal(typeof(Stream), error.ValueType);
        Assert.Equal(StreamReason, error.Reason);
    }

    [Fact]
    public void Check_Delegate_IsRefusedAtTheArgumentAndAsAMember()
    {
        Func<int> callback = () => 42;

        var direct = Refused(callback, typeof(Func<int>));
        var member = Refused(new Subscription { Topic = "t", Callback = callback }, typeof(Subscription), "args[1]");

        Assert.Equal("args[0]", direct.Path);
        Assert.Equal(typeof(Func<int>), direct.ValueType);
        Assert.Equal(DelegateReason, direct.Reason);
        Assert.Equal("pass data and call a public static method in the worker", direct.Advice);
        Assert.StartsWith("args[0] (Func<int>): a delegate cannot cross", direct.Message, StringComparison.Ordinal);
        Assert.Equal("args[1].Callback", member.Path);
        Assert.Equal(DelegateReason, member.Reason);
    }

    [Fact]
    public void Check_CancellationTokenSource_IsRefusedEvenThoughMessagePackWritesItAsAnEmptyMap()
    {
        using var source = new CancellationTokenSource();
        // The trap: MessagePack itself does not complain.
        Assert.Equal([0x80], MessagePackSerializer.Serialize(source, Options));

        var declared = Refused(source, typeof(CancellationTokenSource));
        var asObject = Refused(source, typeof(object), "kwargs[\"cancel\"]");

        Assert.Equal("args[0]", declared.Path);
        Assert.Equal(CancellationReason, declared.Reason);
        Assert.Equal("kwargs[\"cancel\"]", asObject.Path);
        Assert.Equal(typeof(CancellationTokenSource), asObject.ValueType);
        Assert.Equal(CancellationReason, asObject.Reason);
    }

    [Fact]
    public void Check_Task_IsRefused()
    {
        var task = Task.FromResult(42);

        var error = Refused(task, typeof(Task<int>));

        Assert.Equal("args[0]", error.Path);
        Assert.Equal("a task is work in progress inside this process", error.Reason);
        Assert.Equal("await it and pass its result", error.Advice);
        Assert.StartsWith("args[0] (Task<int>): ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Socket_IsRefused()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        var error = Refused(new Parcel { Label = "conn", Content = socket }, typeof(Parcel));

        Assert.Equal("args[0].Content", error.Path);
        Assert.Equal(typeof(Socket), error.ValueType);
        Assert.Equal(NetworkReason, error.Reason);
    }

    [Fact]
    public void Check_IntPtr_IsRefusedAsAMemoryAddress()
    {
        var error = Refused(new IntPtr(0x1234), typeof(IntPtr));

        Assert.Equal("args[0]", error.Path);
        Assert.Equal(typeof(IntPtr), error.ValueType);
        Assert.Equal("a memory address means nothing in another process", error.Reason);
    }

    [Fact]
    public void Check_Cycle_NamesTheMemberThatClosesItAndTheAncestor()
    {
        var first = new Node { Name = "a" };
        first.Next = new Node { Name = "b", Next = first };

        var error = Refused(first, typeof(Node));

        Assert.Equal("args[0].Next.Next", error.Path);
        Assert.Equal(typeof(Node), error.ValueType);
        Assert.Equal("the object graph has a cycle (this object is also its own ancestor at args[0])", error.Reason);
        Assert.Equal("break the cycle or send ids instead of references", error.Advice);
    }

    [Fact]
    public void Check_ListOfObjectsHoldingAFileStream_NamesTheIndex()
    {
        using var file = OpenTempFile();

        var error = Refused(new List<object> { 1, file, "x" }, typeof(List<object>));

        Assert.Equal("args[0][1]", error.Path);
        Assert.Equal(typeof(FileStream), error.ValueType);
        Assert.Equal(StreamReason, error.Reason);
    }

    [Fact]
    public void Check_DictionaryValueHoldingAFileStream_NamesTheKey()
    {
        using var file = OpenTempFile();
        var values = new Dictionary<string, object> { ["fine"] = 1, ["key"] = file };

        var error = Refused(values, typeof(Dictionary<string, object>));

        Assert.Equal("args[0][\"key\"]", error.Path);
        Assert.Equal(typeof(FileStream), error.ValueType);
        Assert.Equal(StreamReason, error.Reason);
    }

    [Fact]
    public void Check_MessagePackObjectWithAStreamKey_IsRefusedBeforeSerializing()
    {
        using var body = new MemoryStream([1, 2, 3]);

        var error = Refused(new StreamEnvelope { Id = 7, Body = body }, typeof(StreamEnvelope));

        Assert.Equal("args[0].Body", error.Path);
        Assert.Equal(typeof(MemoryStream), error.ValueType);
        Assert.Equal(StreamReason, error.Reason);
        Assert.Null(error.InnerException); // found by the walk, not by MessagePack
    }

    [Fact]
    public void Check_EmptyCollectionsOfRefusedItems_AreRefusedByTheirType()
    {
        var streams = Refused(new List<Stream>(), typeof(List<Stream>));
        var callbacks = Refused(new Dictionary<string, Func<int>>(), typeof(Dictionary<string, Func<int>>), "args[1]");

        Assert.Equal("args[0]", streams.Path);
        Assert.StartsWith("args[0] (List<Stream>): a stream cannot cross", streams.Message, StringComparison.Ordinal);
        Assert.Equal("args[1]", callbacks.Path);
        Assert.StartsWith("args[1] (Dictionary<string, Func<int>>): a delegate cannot cross", callbacks.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TypeMessagePackCannotFormat_IsReportedWithMessagePacksError()
    {
        var error = Refused(new InternalPayload { Value = 1 }, typeof(object));

        Assert.Equal("args[0]", error.Path);
        Assert.Equal(typeof(InternalPayload), error.ValueType);
        Assert.StartsWith("MessagePack cannot serialize it (", error.Reason, StringComparison.Ordinal);
        Assert.Contains("public", error.Reason, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MessagePackSerializationException>(error.InnerException);
    }

    [Fact]
    public void Check_ThrowingGetter_IsReportedAtTheMember()
    {
        var error = Refused(new BrokenGetter(), typeof(BrokenGetter));

        Assert.Equal("args[0].Value", error.Path);
        Assert.Equal("reading it threw InvalidOperationException (not loaded yet)", error.Reason);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void Check_GraphDeeperThanTheSecurityLimit_IsRefused()
    {
        var head = new Node { Name = "0" };
        var tail = head;
        for (var i = 1; i < 600; i++) tail = tail.Next = new Node { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        var error = Refused(head, typeof(Node));

        Assert.Equal("the object graph is nested more than 500 levels deep", error.Reason);
        Assert.Equal("args[0]" + string.Concat(Enumerable.Repeat(".Next", 500)), error.Path);
    }

    public static TheoryData<string, string, string> ProcessLocalValues => new()
    {
        { "Thread", "Thread", ThreadingReason },
        { "Mutex", "Mutex", ThreadingReason },
        { "SemaphoreSlim", "SemaphoreSlim", ThreadingReason },
        { "Timer", "Timer", ThreadingReason },
        { "CancellationToken", "CancellationToken", CancellationReason },
        { "ValueTask", "ValueTask<int>", "a task is work in progress inside this process" },
        { "Process", "Process", "a Process object is a handle to a running OS process" },
        { "TcpClient", "TcpClient", NetworkReason },
        { "HttpClient", "HttpClient", NetworkReason },
        { "Type", "Type", "type names do not cross the wire here" },
        { "MethodInfo", "MethodInfo", "type names do not cross the wire here" },
        { "FileInfo", "FileInfo", "a FileInfo or DirectoryInfo does not serialize as the path it names" },
        { "Span", "Span<byte>", "a ref struct (such as Span<T>) lives on the stack and cannot be serialized" },
    };

    [Theory]
    [MemberData(nameof(ProcessLocalValues))]
    public void Check_ProcessLocalValue_IsRefusedWithItsOwnReason(string kind, string typeName, string reason)
    {
        var (value, declaredType) = Make(kind);
        try
        {
            var error = Refused(value, declaredType);

            Assert.Equal("args[0]", error.Path);
            Assert.Equal(reason, error.Reason);
            Assert.StartsWith($"args[0] ({typeName}): {reason}; ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            (value as IDisposable)?.Dispose();
        }
    }

    private (object? Value, Type DeclaredType) Make(string kind) => kind switch
    {
        "Thread" => (new Thread(() => { }), typeof(Thread)),
        "Mutex" => (new Mutex(), typeof(WaitHandle)),
        "SemaphoreSlim" => (new SemaphoreSlim(1), typeof(SemaphoreSlim)),
        "Timer" => (new Timer(_ => { }), typeof(object)),
        "CancellationToken" => (CancellationToken.None, typeof(CancellationToken)),
        "ValueTask" => (new ValueTask<int>(1), typeof(ValueTask<int>)),
        "Process" => (Process.GetCurrentProcess(), typeof(Process)),
        "TcpClient" => (new TcpClient(), typeof(TcpClient)),
        "HttpClient" => (new HttpClient(), typeof(HttpClient)),
        "Type" => (typeof(string), typeof(Type)),
        "MethodInfo" => (typeof(string).GetMethod(nameof(string.Trim), Type.EmptyTypes), typeof(System.Reflection.MethodInfo)),
        "FileInfo" => (new FileInfo(_tempPath), typeof(FileInfo)),
        "Span" => (null, typeof(Span<byte>)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    [Fact]
    public void Check_PlainValues_Pass()
    {
        var checks = new (object? Value, Type Type)[]
        {
            (42, typeof(int)),
            ("text", typeof(string)),
            (null, typeof(string)),
            (new[] { 1, 2, 3 }, typeof(int[])),
            (new[] { "a", null }, typeof(string[])),
            (new List<long> { 1, 2 }, typeof(List<long>)),
            (new Dictionary<string, int> { ["a"] = 1 }, typeof(Dictionary<string, int>)),
            (new Dictionary<string, List<int>> { ["a"] = [1, 2] }, typeof(Dictionary<string, List<int>>)),
            (new Point(1, 2), typeof(Point)),
            (new Order("o-1", [new Point(1, 2)], new() { ["x"] = 3 }), typeof(Order)),
            ((1, "one"), typeof((int, string))),
            (new KeyValuePair<string, double>("pi", 3.14), typeof(KeyValuePair<string, double>)),
            (7, typeof(int?)),
            (Guid.NewGuid(), typeof(Guid)),
            (DateTimeOffset.UnixEpoch, typeof(DateTimeOffset)),
            (DayOfWeek.Friday, typeof(DayOfWeek)),
            (new byte[] { 1, 2 }, typeof(byte[])),
            (new Uri("https://example.org/"), typeof(Uri)),
            (new List<object> { 1, "two", new Point(3, 4), new[] { 5 } }, typeof(List<object>)),
            (new Parcel { Label = "p", Content = new Point(1, 1) }, typeof(Parcel)),
            (new Point(1, 2), typeof(object)),
            (new { Id = 1, Tags = new[] { "a" } }, typeof(object)),
            (new ReadOnlyMemory<byte>([1, 2]), typeof(ReadOnlyMemory<byte>)),
            (new Node { Name = "n", Next = new Node() }, typeof(object)),
        };

        foreach (var (value, type) in checks)
        {
            var error = Record.Exception(() => _checker.Check(value, type, "args[0]"));
            Assert.True(error is null, $"{type}: {error?.Message}");
        }
    }

    [Fact]
    public void Check_DagWithASharedNode_Passes()
    {
        var shared = new Node { Name = "shared", Next = new Node { Name = "tail" } };
        var pair = new NodePair { Left = shared, Right = shared };

        _checker.Check(pair, typeof(NodePair), "args[0]");
        _checker.Check(new List<Node> { shared, shared, shared }, typeof(List<Node>), "args[1]");
        Assert.Same(pair.Left, pair.Right);
    }

    [Fact]
    public void Check_RecursiveTypeWithoutACycle_Passes()
    {
        var chain = new Node { Name = "a", Next = new Node { Name = "b", Next = new Node { Name = "c" } } };

        _checker.Check(chain, typeof(Node), "args[0]");
        Assert.Equal("c", chain.Next!.Next!.Name);
    }

    [Fact]
    public void Check_SafeLeafTypes_DoNotAllocate()
    {
        object number = 42, text = "text", numbers = new[] { 1, 2 }, longs = new List<long> { 1 };
        object counts = new Dictionary<string, int> { ["a"] = 1 }, point = new Point(1, 2);
        var checker = new SerializabilityChecker(Options);
        void CheckAll()
        {
            checker.Check(number, typeof(int), "args[0]");
            checker.Check(text, typeof(string), "args[1]");
            checker.Check(numbers, typeof(int[]), "args[2]");
            checker.Check(longs, typeof(List<long>), "args[3]");
            checker.Check(counts, typeof(Dictionary<string, int>), "args[4]");
            checker.Check(point, typeof(Point), "args[5]");
        }
        CheckAll(); // learns the verdicts

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) CheckAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Check_FromTwoThreadsAtOnce_GivesEachTheRightAnswer()
    {
        using var file = OpenTempFile();
        var checker = new SerializabilityChecker(Options); // fresh: both threads race to learn the same verdicts
        var job = new Job { Writer = new FileWriter(file.SafeFileHandle) };
        var order = new Order("o", [new Point(1, 2)], new() { ["a"] = 1 });
        var failures = new ConcurrentQueue<string>();
        using var start = new Barrier(2);

        void Work()
        {
            start.SignalAndWait();
            for (var i = 0; i < 500; i++)
            {
                try
                {
                    checker.Check(order, typeof(Order), "args[0]");
                }
                catch (Exception e)
                {
                    failures.Enqueue($"order refused: {e.Message}");
                }
                var error = Record.Exception(() => checker.Check(job, typeof(Job), "args[1]"));
                if (error is not UnserializableValueException { Path: "args[1].Writer.Handle", Reason: HandleReason })
                {
                    failures.Enqueue($"job: {error?.Message ?? "accepted"}");
                }
            }
        }

        var threads = new[] { new Thread(Work), new Thread(Work) };
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.Empty(failures);
    }

    [Fact]
    public void TypeNames_AreWrittenAsInCSharp()
    {
        Assert.Equal("SafeFileHandle", TypeNames.Format(typeof(Microsoft.Win32.SafeHandles.SafeFileHandle)));
        Assert.Equal("List<Stream>", TypeNames.Format(typeof(List<Stream>)));
        Assert.Equal("Dictionary<string, Func<int>>", TypeNames.Format(typeof(Dictionary<string, Func<int>>)));
        Assert.Equal("int[]", TypeNames.Format(typeof(int[])));
        Assert.Equal("int[,]", TypeNames.Format(typeof(int[,])));
        Assert.Equal("int?", TypeNames.Format(typeof(int?)));
        Assert.Equal("(int, string)", TypeNames.Format(typeof((int, string))));
        Assert.Equal("Dictionary<string, int>.KeyCollection", TypeNames.Format(typeof(Dictionary<string, int>.KeyCollection)));
    }
}
