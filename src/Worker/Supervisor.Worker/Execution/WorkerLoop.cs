using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;
using Supervisor.Protocol;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Functions;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Payloads;
using Supervisor.Protocol.Serialization;
using Supervisor.Protocol.Startup;
using Supervisor.Worker.Transport;

namespace Supervisor.Worker.Execution;

/// <summary>
/// One worker's life: handshake, then tasks in arrival order, one call at a time, until EndOfQueue.
/// Results are written into one buffer and sent together when no task is waiting, so a window of tiny tasks
/// costs one write, not one each; consecutive results of one task share a frame (<see cref="ResultRun"/>).
/// </summary>
internal sealed class WorkerLoop : IDisposable
{
    // Flushing costs a write; before a call expected to take this long, waiting results go out first.
    private const double FlushBeforeCallsOfMicroseconds = 200;
    private const int FlushAtBytes = 64 * 1024;
    // Primitive calls are timed together while a group of them takes less than this (RunPrimitiveCalls).
    private const double TimedGroupMicroseconds = 20;
    private const int MaxCallsTimedTogether = 64;
    // The supervisor waits at most this long for a Probe's answer too; past it, the pipe thread goes back to reading.
    private static readonly TimeSpan ProbeGateWait = TimeSpan.FromMilliseconds(Protocol.WireProtocol.ProbeAnswerMilliseconds);

    private readonly WorkerStartInfo _info;
    private readonly Stream _output;
    private readonly FramePump _pump;
    private readonly FrameWriter _writer;
    private readonly ResultRun _results;
    private readonly UserAssemblyLoader _loader;
    private readonly FunctionResolver _resolver;
    private readonly SerializabilityChecker _checker = new(WireSerializer.Options);
    private readonly RuntimeTypeSerializer _serializer = new(WireSerializer.Options);
    private readonly Dictionary<int, WorkerFunction> _functions = [];
    private readonly Dictionary<int, Exception> _unresolved = [];
    private readonly TaskCancellations _cancellations = new();
    private readonly InheritedStateAssigner _inherited;
    private readonly InjectedFaults? _faults;
    // The main thread holds it at all times but during a user call and while it waits for frames; the pipe thread
    // takes it to answer a Probe. So the writer, the result run and the output are never used by both at once,
    // and a call costs one release and one take, whatever it writes.
    private readonly Lock _gate = new();
    // The call that runs while the gate is released for it; task ids start at 1, so 0 is none. Under the gate.
    private long _runningTask;
    private int _runningItem;
    private bool _disposed;

    // The forkserver's warm-up call names WarmUp.Echo by reflection; a NativeAOT worker keeps only what it is told to.
    [DynamicDependency(nameof(WarmUp.Echo), typeof(WarmUp))]
    public WorkerLoop(WorkerStartInfo info, Stream input, Stream output, PayloadArena? arena, IReadOnlyList<Assembly> compiledIn, InjectedFaults? faults)
    {
        _info = info;
        _faults = faults;
        // The protocol assembly is part of every worker executable, so the warm-up call never needs its file.
        _loader = new UserAssemblyLoader([typeof(WarmUp).Assembly, .. compiledIn]);
        _output = output;
        _writer = new FrameWriter(info.MaxFrameBytes, sharedSlots: arena?.Outbound);
        _results = new ResultRun(_writer, info.MaxFrameBytes);
        _resolver = new FunctionResolver(_loader);
        _inherited = new InheritedStateAssigner(_loader, _serializer);
        _pump = new FramePump(input, info.MaxFrameBytes, OnPipeEnded, _cancellations.Cancel, OnProbe, arena?.Inbound);
    }

    public Task<int> RunAsync()
    {
        using var held = _gate.EnterScope();
        try
        {
            WriteHello();
            _pump.Start();
            while (true)
            {
                if (!_pump.Frames.TryTake(out var frame))
                {
                    Flush();
                    if (!WaitForFrame(out frame)) return Task.FromResult(WorkerExitCodes.SupervisorGone);
                }
                try
                {
                    if (!Handle(frame.Payload)) break;
                }
                finally
                {
                    frame.Return();
                }
            }
            Flush();
            return Task.FromResult(WorkerExitCodes.Done);
        }
        // First: a frame's body cut short raises EndOfStreamException, an IOException, and is the supervisor's
        // protocol error, not its departure.
        catch (Exception e) when (ProtocolErrors.IsProtocolError(e))
        {
            ReportProtocolError(e);
            return Task.FromResult(WorkerExitCodes.ProtocolError);
        }
        catch (IOException)
        {
            // The supervisor stopped reading: nobody is left to send results to.
            return Task.FromResult(WorkerExitCodes.SupervisorGone);
        }
    }

    public void Dispose()
    {
        // The pipe thread may be answering a Probe: it finishes with the writer first, and leaves it alone after.
        lock (_gate) _disposed = true;
        _pump.Dispose();
        _cancellations.Dispose();
        _writer.Dispose();
        _loader.Dispose();
    }

    private void OnPipeEnded(Exception? error)
    {
        if (error is not null && ProtocolErrors.IsProtocolError(error))
        {
            ReportProtocolError(error);
            Environment.Exit(WorkerExitCodes.ProtocolError);
        }
        // Without EndOfQueue first, the end of the pipe means the supervisor is gone: whatever runs now has
        // nobody to report to, so the worker ends at once instead of outliving its parent.
        if (!_pump.SawEndOfQueue) Environment.Exit(WorkerExitCodes.SupervisorGone);
    }

    private void ReportProtocolError(Exception error) =>
        Console.Error.WriteLine($"{_info.Name}: protocol error from the supervisor: " +
            (error is EndOfStreamException ? $"a frame's body ended inside its message (truncated): {error.Message}" : error.Message));

    // With the gate released: a Probe that comes meanwhile finds no call running and nothing left to send.
    private bool WaitForFrame(out InboundFrame frame)
    {
        _gate.Exit();
        try
        {
            return _pump.Frames.TryTake(out frame, Timeout.Infinite);
        }
        finally
        {
            _gate.Enter();
        }
    }

    /// <summary>
    /// On the pipe thread: a call passed the supervisor's task timeout. Sends the results gathered so far, then which
    /// call runs, so that the supervisor blames that call when it kills this worker.
    /// </summary>
    private void OnProbe()
    {
        // Bounded: the main thread may be stuck holding the gate outside a call (a type initializer, a result's
        // getter), and this thread must go back to reading, or it would miss the end of the supervisor's pipe.
        if (!_gate.TryEnter(ProbeGateWait)) return;
        try
        {
            if (_disposed) return;
            _results.End();
            if (_runningTask != 0)
            {
                _writer.Write(new RunningMessage(_runningTask, _runningItem));
            }
            _writer.FlushTo(_output);
        }
        catch (IOException)
        {
            // The supervisor stopped reading: the pipe thread sees its end next.
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void WriteHello()
    {
        _writer.Write(new HelloMessage(Protocol.WireProtocol.Version, _info.WorkerId, Environment.ProcessId));
        Flush();
    }

    private bool Handle(ReadOnlyMemory<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        var kind = Envelope.ReadHeader(ref reader);
        switch (kind)
        {
            case MessageKind.Define:
                Define(DefineMessage.Read(ref reader));
                return true;
            case MessageKind.Task:
                RunTask(ref reader);
                return true;
            case MessageKind.EndOfQueue:
                return false;
            case MessageKind.Inherit:
                Inherit(InheritMessage.Read(ref reader));
                return true;
            default:
                throw new ProtocolException($"A worker does not accept {kind} messages.");
        }
    }

    private void Define(DefineMessage message)
    {
        try
        {
            var method = _resolver.Resolve(message.Function);
            _functions[message.FunctionId] = new WorkerFunction(message.Function, method, message.FixedArguments, _serializer, WireSerializer.Options);
        }
        catch (Exception e) when (e is FunctionResolutionException or ArgumentException or MessagePackSerializationException)
        {
            // Every task of this function will carry the reason back, so the caller sees it where it waits.
            _unresolved[message.FunctionId] = e;
        }
    }

    // Answered like a call returning nothing, so the supervisor knows the state is in place before the initializer.
    private void Inherit(InheritMessage message)
    {
        try
        {
            _inherited.Assign(message.Values);
        }
        catch (InvalidOperationException e)
        {
            WriteError(message.TaskId, 0, ErrorReport.From(e));
            return;
        }
        var valueStart = _results.Prepare(message.TaskId, 0);
        var writer = new MessagePackWriter(_writer);
        writer.WriteNil();
        writer.Flush();
        _results.TryCommit(valueStart, 0);
    }

    private void RunTask(ref MessagePackReader reader)
    {
        var task = TaskMessage.ReadHead(ref reader);
        using var trace = CallerTrace.Continue(task.Trace);
        _functions.TryGetValue(task.FunctionId, out var function);
        _cancellations.Start(task.TaskId);
        try
        {
            for (var item = 0; item < task.Count; item++)
            {
                if (function is { TakesPrimitives: true } && task.Mode == ArgumentMode.Positional && !task.ReportEachCall)
                {
                    item += RunPrimitiveCalls(task, item, function, ref reader);
                    if (item == task.Count) break;
                }
                var call = reader.CreatePeekReader();
                reader.Skip();
                if (function is null || _cancellations.IsCancelled)
                {
                    WriteError(task.TaskId, item, ErrorReport.From(WhyNotRun(task)));
                    continue;
                }
                RunCall(task, item, function, ref call);
            }
        }
        finally
        {
            _cancellations.End();
        }
    }

    /// <summary>
    /// Runs calls from <paramref name="first"/> on while each is one primitive argument of a function taking and
    /// returning primitives, and returns how many ran: what <see cref="RunCall"/> does, with the argument and the result
    /// read and written on spans and the clock read once for many tiny calls, so a chunk of tiny calls costs a few
    /// instructions a call on top of the calls themselves, from a worker's first map on (the method is compiled
    /// optimized at once). It stops at a call it cannot read and at a cancellation: the general path takes it from
    /// there. The gate is released around each call, as for any call. Time spent in a group of calls not yet timed
    /// when the run ends is not counted in its Result frame.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int RunPrimitiveCalls(TaskMessage task, int first, WorkerFunction function, ref MessagePackReader reader)
    {
        var rest = reader.Sequence.Slice(reader.Position);
        if (!rest.IsSingleSegment) return 0;
        var bytes = rest.FirstSpan;
        var position = 0;
        var item = first;
        var started = Stopwatch.GetTimestamp();
        var timedEvery = 1;
        var untimed = 0;
        while (item < task.Count && !_cancellations.IsCancelled)
        {
            // RunCall's rule: before a call expected to be long, or past 64 KiB, what waits goes out.
            if (_writer.Length > 0 && (function.RecentMicroseconds >= FlushBeforeCallsOfMicroseconds || _writer.Length >= FlushAtBytes)) Flush();
            if (!function.TryReadPrimitiveCall(bytes, ref position)) break;
            Exception? failure = null;
            _runningTask = task.TaskId;
            _runningItem = item;
            _gate.Exit();
#pragma warning disable CA1031 // The user's exception is the call's outcome, reported as RunCall reports it.
            try
            {
                // Where the user's code runs, as in Invoke: a test harness's fault plan strikes this path too.
                _faults?.BeforeCall(function.IsWarmUp);
                function.RunPrimitiveCall();
            }
            catch (Exception e)
            {
                failure = e;
            }
#pragma warning restore CA1031
            finally
            {
                _gate.Enter();
                _runningTask = 0;
            }
            // Reading the clock costs more than a tiny call (a VM's clock most of all): calls are timed in groups, as
            // long as a group of them takes under TimedGroupMicroseconds, and one by one once they take longer.
            var elapsed = 0L;
            if (++untimed == timedEvery)
            {
                var ended = Stopwatch.GetTimestamp();
                var group = Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds;
                started = ended;
                function.Record(group / untimed);
                elapsed = (long)group;
                timedEvery = group < TimedGroupMicroseconds ? Math.Min(timedEvery * 2, MaxCallsTimedTogether) : 1;
                untimed = 0;
            }
            if (failure is not null)
            {
                WriteError(task.TaskId, item, ErrorReport.From(failure));
            }
            else
            {
                var valueStart = _results.Prepare(task.TaskId, item);
                _writer.Advance(function.WritePrimitiveResult(_writer.GetSpan(PrimitiveCodec<long>.MaxBytes)));
                // Past the maximum frame size the value is taken back: the general path ends the run and tries again.
                if (!_results.TryCommit(valueStart, elapsed)) WriteResult(task.TaskId, item, elapsed, function);
            }
            item++;
        }
        reader = new MessagePackReader(rest.Slice(position));
        return item - first;
    }

    private Exception WhyNotRun(TaskMessage task) =>
        _cancellations.IsCancelled
            ? new OperationCanceledException($"Task {task.TaskId} was cancelled before this call started.")
            : _unresolved.GetValueOrDefault(task.FunctionId)
                ?? new ProtocolException($"Task {task.TaskId} names function {task.FunctionId}, which was never defined.");

    private void RunCall(TaskMessage task, int item, WorkerFunction function, ref MessagePackReader call)
    {
        // A task sent to report each call goes out result by result: if this call kills the worker, the supervisor
        // knows it was this one.
        if (_writer.Length > 0 && (task.ReportEachCall || function.RecentMicroseconds >= FlushBeforeCallsOfMicroseconds || _writer.Length >= FlushAtBytes))
        {
            Flush();
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            Invoke(task, item, function, ref call);
        }
        catch (Exception e)
        {
            function.Record(MicrosecondsSince(started));
            WriteError(task.TaskId, item, ErrorReport.From(e));
            return;
        }
        var elapsed = MicrosecondsSince(started);
        function.Record(elapsed);
        try
        {
            WriteResult(task.TaskId, item, elapsed, function);
        }
        finally
        {
            function.ClearResult();
        }
    }

    // The user's code runs with the gate released, so that a Probe can be answered while it runs, however long.
    private void Invoke(TaskMessage task, int item, WorkerFunction function, ref MessagePackReader call)
    {
        _runningTask = task.TaskId;
        _runningItem = item;
        _gate.Exit();
        try
        {
            // Where the user's code runs, with the gate released: a planned hang is answered to a Probe as that call.
            _faults?.BeforeCall(function.IsWarmUp);
            function.Call(ref call, task.Mode, _cancellations);
        }
        finally
        {
            _gate.Enter();
            _runningTask = 0;
        }
    }

    private void WriteResult(long taskId, int item, long elapsed, WorkerFunction function)
    {
        while (true)
        {
            var valueStart = _results.Prepare(taskId, item);
            try
            {
                var writer = new MessagePackWriter(_writer);
                function.WriteResult(ref writer, _checker);
                writer.Flush();
            }
            catch (UnserializableValueException e)
            {
                _results.Drop(valueStart);
                WriteError(taskId, item, new RemoteError(e.GetType().FullName!, $"The result of {function.Name} cannot be sent back: {e.Message}", ""));
                return;
            }
            var valueBytes = _writer.Length - valueStart;
            if (_results.TryCommit(valueStart, elapsed)) return;
            if (!_results.HasValues)
            {
                var tooLarge = new ProtocolException(
                    $"The result of {function.Name} is {valueBytes} bytes, more than the maximum frame size of {_info.MaxFrameBytes} bytes; " +
                    "return a smaller value or raise the maximum frame size in the options.");
                WriteError(taskId, item, ErrorReport.From(tooLarge));
                return;
            }
            // It does not fit beside the results before it: it goes in a frame of its own.
            _results.End();
        }
    }

    private void WriteError(long taskId, int item, RemoteError error)
    {
        _results.End();
        _writer.Write(new ErrorMessage(taskId, item, ErrorReport.Fit(error, _info.MaxFrameBytes)));
    }

    private void Flush()
    {
        _results.End();
        _writer.FlushTo(_output);
    }

    private static long MicrosecondsSince(long started) =>
        (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
}
