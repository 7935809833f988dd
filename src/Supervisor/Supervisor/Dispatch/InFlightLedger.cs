using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;

namespace Supervisor.Dispatch;

/// <summary>
/// What one worker holds: the tasks sent to it and not yet fully answered, by task id, and since when its current call
/// runs. A worker runs its tasks in the order they were sent, so the oldest task held is the one running, and an
/// answer must be for the next calls of a task it holds: anything else is a broken or hostile peer. Thread-safe: the
/// sender adds, the receiver delivers, the watchdog and the caller's cancellation read.
/// </summary>
internal sealed class InFlightLedger(string workerName, TimeProvider clock)
{
    private readonly Dictionary<long, WorkItem> _tasks = [];
    private long _lastTaskId;
    private long _runningSince;
    private int _tasksCompleted;
    private TaskCompletionSource<RunningMessage>? _report;

    /// <summary>How many tasks the worker completed (all their calls answered).</summary>
    public int TasksCompleted => Volatile.Read(ref _tasksCompleted);

    /// <summary>How many calls the worker holds without an answer.</summary>
    public int CallsHeld
    {
        get
        {
            lock (_tasks)
            {
                var calls = 0;
                foreach (var item in _tasks.Values) calls += item.Remaining;
                return calls;
            }
        }
    }

    /// <summary>The id the next task sent is written with.</summary>
    public long NextTaskId() => Interlocked.Increment(ref _lastTaskId);

    /// <summary>The task went out under <paramref name="taskId"/>; the first task of an idle worker starts its clock.</summary>
    public void Add(long taskId, WorkItem item)
    {
        lock (_tasks)
        {
            _tasks[taskId] = item;
            if (_tasks.Count == 1) _runningSince = clock.GetTimestamp();
        }
    }

    /// <summary>The id <paramref name="item"/> was sent under, or 0 when this worker does not hold it.</summary>
    public long Find(WorkItem item)
    {
        lock (_tasks)
        {
            foreach (var (taskId, held) in _tasks)
            {
                if (held == item) return taskId;
            }
            return 0;
        }
    }

    /// <summary>Where task <paramref name="taskId"/> is: answered, running (the oldest held), or queued behind it.</summary>
    public HeldState StateOf(long taskId)
    {
        lock (_tasks)
        {
            if (!_tasks.ContainsKey(taskId)) return HeldState.Answered;
            return _tasks.Keys.Min() == taskId ? HeldState.Running : HeldState.Queued;
        }
    }

    /// <summary>Checks that the worker answers the next <paramref name="calls"/> calls of a task it holds, from <paramref name="firstCall"/>.</summary>
    /// <exception cref="ProtocolException">It does not: a broken or hostile peer, which would break exactly-once delivery.</exception>
    public WorkItem Expect(long taskId, int firstCall, int calls)
    {
        WorkItem? item;
        lock (_tasks) _tasks.TryGetValue(taskId, out item);
        if (item is null) throw new ProtocolException($"{workerName} answered task {taskId}, which it does not hold.");
        if (firstCall != item.Delivered - item.SentFrom)
        {
            throw new ProtocolException($"{workerName} answered call {firstCall} of task {taskId}; call {item.Delivered - item.SentFrom} was next.");
        }
        if (calls > item.Remaining)
        {
            throw new ProtocolException($"{workerName} answered {calls} calls of task {taskId}, which has {item.Remaining} left.");
        }
        return item;
    }

    /// <summary>
    /// Calls of task <paramref name="taskId"/> were just delivered: the next call starts now (the timeout is per call,
    /// not per task or chunk). True when that was the task's last call: it leaves the ledger.
    /// </summary>
    public bool Delivered(long taskId, WorkItem item)
    {
        lock (_tasks)
        {
            _runningSince = clock.GetTimestamp();
            if (item.Remaining > 0) return false;
            _tasks.Remove(taskId);
        }
        Interlocked.Increment(ref _tasksCompleted);
        return true;
    }

    /// <summary>Whether the worker holds a task and its current call has run longer than <paramref name="timeout"/>.</summary>
    public bool IsPastTimeout(TimeSpan timeout)
    {
        lock (_tasks) return _tasks.Count > 0 && clock.GetElapsedTime(_runningSince) > timeout;
    }

    /// <summary>Waits for the worker's report of the call it runs (the answer to a Probe), until <see cref="StopAwaitingReport"/>.</summary>
    public Task<RunningMessage> AwaitReport()
    {
        lock (_tasks)
        {
            _report = new TaskCompletionSource<RunningMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _report.Task;
        }
    }

    /// <summary>A report arriving from now on is checked but awaited by nobody.</summary>
    public void StopAwaitingReport()
    {
        lock (_tasks) _report = null;
    }

    /// <summary>The worker reports which call runs; it follows the results of the calls before it.</summary>
    /// <exception cref="ProtocolException">It names a call that is not the next one of the oldest task held.</exception>
    public void AcceptReport(RunningMessage report)
    {
        Expect(report.TaskId, report.Item, 1);
        lock (_tasks)
        {
            // Calls run in send order: the one running belongs to the oldest task held.
            var oldest = _tasks.Keys.Min();
            if (report.TaskId != oldest)
            {
                throw new ProtocolException($"{workerName} said task {report.TaskId} runs; task {oldest} was sent before it and is unanswered.");
            }
            _report?.TrySetResult(report);
        }
    }

    /// <summary>Empties the ledger once the worker has ended: what it held, the oldest (the one that was running) first.</summary>
    public HeldTasks Close()
    {
        lock (_tasks)
        {
            var order = _tasks.OrderBy(p => p.Key).ToList();
            _tasks.Clear();
            if (order.Count == 0) return new HeldTasks(null, 0, [], TasksCompleted);
            return new HeldTasks(order[0].Value, order[0].Key, [.. order.Skip(1).Select(p => p.Value)], TasksCompleted);
        }
    }
}
