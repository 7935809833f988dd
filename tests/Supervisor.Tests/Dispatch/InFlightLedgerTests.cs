using Microsoft.Extensions.Time.Testing;
using Supervisor.Dispatch;
using Supervisor.Protocol.Framing;
using Supervisor.Protocol.Messages;
using Supervisor.Tests.Support;

namespace Supervisor.Tests.Dispatch;

public sealed class InFlightLedgerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new();
    private readonly InFlightLedger _ledger;
    private readonly Dictionary<long, WorkItem> _items = [];

    public InFlightLedgerTests() => _ledger = new InFlightLedger("worker-1", _clock);

    [Fact]
    public void The_oldest_task_held_is_the_running_one_and_the_others_wait_behind_it()
    {
        var (first, second) = (Add(Items.Sent(1)), Add(Items.Sent(1)));
        Assert.Equal(HeldState.Running, _ledger.StateOf(first));
        Assert.Equal(HeldState.Queued, _ledger.StateOf(second));

        Deliver(first, 1);
        Assert.Equal(HeldState.Answered, _ledger.StateOf(first));
        Assert.Equal(HeldState.Running, _ledger.StateOf(second));
        Assert.Equal(1, _ledger.TasksCompleted);
    }

    [Fact]
    public void An_answer_must_be_for_the_next_calls_of_a_task_held()
    {
        var taskId = Add(Items.Sent(3));
        Assert.Contains("does not hold", Assert.Throws<ProtocolException>(() => _ledger.Expect(taskId + 1, 0, 1)).Message);
        Assert.Contains("call 0 was next", Assert.Throws<ProtocolException>(() => _ledger.Expect(taskId, 1, 1)).Message);
        Assert.Contains("3 left", Assert.Throws<ProtocolException>(() => _ledger.Expect(taskId, 0, 4)).Message);
        _ledger.Expect(taskId, 0, 3);
    }

    [Fact]
    public void A_resent_task_counts_its_calls_from_where_the_send_began()
    {
        var item = Items.Sent(3).Answer();
        item.BeginSend();
        var taskId = Add(item);
        Assert.Same(item, _ledger.Expect(taskId, 0, 2));
        Assert.Throws<ProtocolException>(() => _ledger.Expect(taskId, 1, 1));
    }

    [Fact]
    public void The_timeout_counts_per_call_from_the_last_answer()
    {
        var taskId = Add(Items.Sent(3));
        _clock.Advance(Timeout * 0.75);
        Deliver(taskId, 1);
        _clock.Advance(Timeout * 0.75);
        Assert.False(_ledger.IsPastTimeout(Timeout));
        _clock.Advance(Timeout * 0.5);
        Assert.True(_ledger.IsPastTimeout(Timeout));
    }

    [Fact]
    public void An_idle_worker_is_never_past_the_timeout_and_its_next_task_starts_the_clock()
    {
        _clock.Advance(Timeout * 2);
        Assert.False(_ledger.IsPastTimeout(Timeout));
        Add(Items.Sent(1));
        Assert.False(_ledger.IsPastTimeout(Timeout));
    }

    [Fact]
    public async Task A_report_must_name_the_next_call_of_the_oldest_task_and_reaches_whoever_awaits_it()
    {
        var (first, second) = (Add(Items.Sent(2)), Add(Items.Sent(1)));
        var report = _ledger.AwaitReport();
        Assert.Throws<ProtocolException>(() => _ledger.AcceptReport(new RunningMessage(second, 0)));
        Assert.Throws<ProtocolException>(() => _ledger.AcceptReport(new RunningMessage(first, 1)));
        Assert.False(report.IsCompleted);

        _ledger.AcceptReport(new RunningMessage(first, 0));
        Assert.Equal(new RunningMessage(first, 0), await report);
    }

    [Fact]
    public void Closing_hands_back_the_running_task_first_then_the_waiting_ones_in_send_order()
    {
        var items = new[] { Items.Sent(1), Items.Sent(2), Items.Sent(1), Items.Sent(1) };
        var ids = items.Select(Add).ToArray();
        Deliver(ids[0], 1);

        var held = _ledger.Close();
        Assert.Same(items[1], held.Running);
        Assert.Equal(ids[1], held.RunningTaskId);
        Assert.Equal([items[2], items[3]], held.Waiting);
        Assert.Equal(1, held.TasksCompleted);
        Assert.Equal(HeldState.Answered, _ledger.StateOf(ids[1]));
    }

    [Fact]
    public void A_task_is_found_by_its_item_while_held()
    {
        var item = Items.Sent(1);
        Assert.Equal(0, _ledger.Find(item));
        var taskId = Add(item);
        Assert.Equal(taskId, _ledger.Find(item));
        Assert.Equal(1, _ledger.CallsHeld);
        Deliver(taskId, 1);
        Assert.Equal(0, _ledger.Find(item));
    }

    private long Add(WorkItem item)
    {
        var taskId = _ledger.NextTaskId();
        _ledger.Add(taskId, item);
        _items[taskId] = item;
        return taskId;
    }

    private void Deliver(long taskId, int calls)
    {
        var item = _items[taskId];
        Assert.Same(item, _ledger.Expect(taskId, item.Delivered - item.SentFrom, calls));
        item.Answer(calls);
        _ledger.Delivered(taskId, item);
    }
}
