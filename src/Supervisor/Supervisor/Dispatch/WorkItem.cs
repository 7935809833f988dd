using System.Buffers;
using System.Diagnostics;
using MessagePack;
using Supervisor.Protocol.Messages;
using Supervisor.Results;

namespace Supervisor.Dispatch;

/// <summary>
/// One task on its way: a function id and the serialized arguments of one call or a chunk of calls, written
/// in the caller's thread into a pooled buffer that lives until the last call's outcome arrives (a task whose
/// worker died is sent again from it).
/// </summary>
internal sealed class WorkItem : IBufferWriter<byte>
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(256);
    private int _length;
    private volatile bool _cancelled;
    // The call (by its place in the task) that the last charged crash was blamed on; -1 before any.
    private int _chargedCall = -1;
    // Set when the task was queued while the pool's observer observed calls: each call's end is reported there.
    private PoolEvents? _events;
    private long _queuedAt;
    private bool _sentOnce;

    public WorkItem(int functionId, ArgumentMode mode, int firstIndex, IResultSink sink)
    {
        FunctionId = functionId;
        Mode = mode;
        FirstIndex = firstIndex;
        Sink = sink;
    }

    public int FunctionId { get; }

    /// <summary>
    /// The trace the task was submitted in (the caller's <see cref="Activity.Current"/> as the item was made, in the
    /// caller's thread), or the submission's own span: the worker runs the calls in it. Default when there was none.
    /// </summary>
    public ActivityContext Trace { get; set; } = Activity.Current?.Context ?? default;

    public ArgumentMode Mode { get; }

    /// <summary>The index of the first call within its submission (a map's item index).</summary>
    public int FirstIndex { get; }

    public IResultSink Sink { get; }

    /// <summary>
    /// Whether a sender may join this task with the ones queued after it into one task (see <see cref="TryJoin"/>): a
    /// queue's items, each one call, whose worker then reads, runs and answers a run of them as a chunk of a map.
    /// </summary>
    public bool Joinable { get; init; }

    /// <summary>How many calls the arguments hold.</summary>
    public int Count { get; private set; }

    /// <summary>How many calls have no outcome yet: what a send of the task carries.</summary>
    public int Remaining => Count - Delivered;

    /// <summary>How many leading calls have delivered an outcome; a resend starts after them.</summary>
    public int Delivered { get; private set; }

    /// <summary>Where the current send started: results count from this call on.</summary>
    public int SentFrom { get; private set; }

    /// <summary>How many calls the current send carried.</summary>
    public int CallsSent => Count - SentFrom;

    /// <summary>The size of the current send, charged to the worker's credit window.</summary>
    public int SentBytes { get; private set; }

    /// <summary>Time the calls took in their worker so far, in microseconds.</summary>
    public long ElapsedMicroseconds { get; private set; }

    /// <summary>
    /// How many times the task was handed to a worker; once a crash was charged to one of its calls
    /// (<see cref="Charge"/>), how many times that call ran.
    /// </summary>
    public int Attempts { get; private set; }

    /// <summary>
    /// A worker died holding this task among others, and gathered results may have died with it, so which call
    /// killed it is unknown. The task is then sent alone, to a worker holding nothing, to report each call: a crash
    /// now names its call, and only that call is charged an attempt.
    /// </summary>
    public bool Suspect { get; private set; }

    /// <summary>The attempts the next call would count if a crash were charged to it now (see <see cref="Charge"/>).</summary>
    public int AttemptsIfCharged => _chargedCall == Delivered ? Attempts : 1;

    /// <summary>Adds <paramref name="calls"/> calls whose arguments were just written.</summary>
    public void AddCalls(int calls) => Count += calls;

    /// <summary>
    /// The task was queued: with <paramref name="events"/> (the pool observes calls), its calls are timed from now and
    /// each one's end is reported there; with null, nothing is.
    /// </summary>
    public void TimeWith(PoolEvents? events)
    {
        if (events is null) return;
        _events = events;
        _queuedAt = events.Timestamp();
    }

    /// <summary>The task is being written to a worker: it carries the calls not yet delivered, and counts an attempt.</summary>
    public void BeginSend()
    {
        SentFrom = Delivered;
        Attempts++;
        if (_events is null || _sentOnce) return;
        _sentOnce = true;
        _events.CallsSent(Count, _queuedAt);
    }

    /// <summary>The task was written, <paramref name="bytes"/> long.</summary>
    public void Sent(int bytes) => SentBytes = bytes;

    /// <summary>The next call returned <paramref name="value"/>; dropped if the caller cancelled (it has its answer).</summary>
    public void DeliverResult(ref MessagePackReader value)
    {
        Ended(null);
        if (!IsCancelled) Sink.OnResult(FirstIndex + Delivered, ref value);
        Delivered++;
    }

    /// <summary>
    /// The next calls returned the <paramref name="count"/> values at <paramref name="values"/>: as many as the sink
    /// takes at once are delivered, the reader moved past them; returns how many (none if the caller cancelled, or
    /// while the calls are observed: each one's end is then reported before the caller can see it, one by one).
    /// </summary>
    public int DeliverRun(ref MessagePackReader values, int count)
    {
        if (IsCancelled || _events is not null) return 0;
        var taken = Sink.TakeRun(FirstIndex + Delivered, ref values, count);
        Delivered += taken;
        return taken;
    }

    /// <summary>The next call failed in its worker; dropped if the caller cancelled.</summary>
    public void DeliverFailure(Exception error)
    {
        Ended(error);
        if (!IsCancelled) Sink.OnFailure(FirstIndex + Delivered, error);
        Delivered++;
    }

    /// <summary>Counts time the worker spent on calls just delivered.</summary>
    public void AddElapsed(long microseconds) => ElapsedMicroseconds += microseconds;

    /// <summary>
    /// The task comes back from a dead worker that it did not kill: the attempt is not counted. A
    /// <paramref name="suspect"/> task is sent alone next time (see <see cref="Suspect"/>).
    /// </summary>
    public void GiveBack(bool suspect)
    {
        Attempts--;
        Suspect |= suspect;
    }

    /// <summary>
    /// The worker's death is charged to the next call. Retries count per call: the first charge for a later call of a
    /// chunk starts that call's count.
    /// </summary>
    public void Charge()
    {
        if (_chargedCall == Delivered) return;
        _chargedCall = Delivered;
        Attempts = 1;
    }

    /// <summary>The next call fails with <paramref name="reason"/> (out of attempts); the rest of the task goes on.</summary>
    public void FailNextCall(Exception reason)
    {
        Ended(reason);
        Sink.OnFailure(FirstIndex + Delivered, reason);
        Delivered++;
        Suspect = false;
    }

    /// <summary>Every call without an outcome fails with <paramref name="reason"/>, and the buffer goes back.</summary>
    public void FailRemaining(Exception reason)
    {
        for (; Delivered < Count; Delivered++)
        {
            Ended(reason);
            Sink.OnFailure(FirstIndex + Delivered, reason);
        }
        Release();
    }

    /// <summary>The caller cancelled the task: it is not sent again, and outcomes that still arrive are dropped.</summary>
    public bool IsCancelled => _cancelled;

    /// <summary>Marks the task cancelled; where it is now decides the rest (see <see cref="Supervision.WorkerGroup.Cancel"/>).</summary>
    public void MarkCancelled() => _cancelled = true;

    /// <summary>The serialized arguments of all calls, one complete MessagePack value each.</summary>
    public ReadOnlyMemory<byte> Arguments => _buffer.AsMemory(0, _length);

    /// <summary>The arguments of the calls not yet delivered.</summary>
    public ReadOnlyMemory<byte> Undelivered()
    {
        if (Delivered == 0) return Arguments;
        var reader = new MessagePackReader(Arguments);
        for (var i = 0; i < Delivered; i++) reader.Skip();
        return Arguments[(int)reader.Consumed..];
    }

    /// <summary>
    /// Appends the calls of <paramref name="next"/> to this task, which a sender took and has not sent yet, if
    /// <paramref name="next"/> is the same stream's next call, never sent, and nothing is told per task (no trace of
    /// its own, calls not observed); <paramref name="next"/> is then done with. Outcomes reach the sink with the
    /// indices they had, and a crash is charged per call, so nothing but the frames changes.
    /// </summary>
    public bool TryJoin(WorkItem next)
    {
        if (!Joinable || !next.Joinable || next.Sink != Sink || next.FunctionId != FunctionId || next.Mode != Mode
            || next.Trace != Trace || next.FirstIndex != FirstIndex + Count || _events is not null || next._events is not null
            || Attempts != 0 || next.Attempts != 0 || IsCancelled || next.IsCancelled)
        {
            return false;
        }
        var arguments = next.Arguments.Span;
        arguments.CopyTo(GetSpan(arguments.Length));
        Advance(arguments.Length);
        Count += next.Count;
        next.Release();
        return true;
    }

    /// <summary>Drops what was written after <paramref name="length"/> bytes (a call that failed its check half-way).</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Gives the buffer back; the item is not used after this. Calls still without an outcome were cancelled.</summary>
    public void Release()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(buffer);
        if (_events is null) return;
        for (var call = Delivered; call < Count; call++) _events.CallEnded(CallStatus.Cancelled, _queuedAt, null);
    }

    // Reports the next call's end, before its caller can see it; a call its caller cancelled ends as cancelled.
    private void Ended(Exception? error)
    {
        if (_events is null) return;
        if (IsCancelled) _events.CallEnded(CallStatus.Cancelled, _queuedAt, null);
        else _events.CallEnded(error is null ? CallStatus.Succeeded : CallStatus.Failed, _queuedAt, error);
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 64);
        if (needed <= _buffer.Length) return;
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
