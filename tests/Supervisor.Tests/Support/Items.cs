using Supervisor.Dispatch;
using Supervisor.Protocol.Messages;
using Supervisor.Results;

namespace Supervisor.Tests.Support;

/// <summary>Work items for the unit tests of the supervisor's bookkeeping: no arguments, a sink nobody awaits.</summary>
internal static class Items
{
    /// <summary>A task of <paramref name="calls"/> calls, handed to a worker <paramref name="sends"/> times, each send after the first following a crash charged to its first call.</summary>
    public static WorkItem Sent(int calls, int sends = 1)
    {
        var item = new WorkItem(functionId: 1, ArgumentMode.Positional, firstIndex: 0, new CompletionSink<int>());
        item.AddCalls(calls);
        for (var i = 0; i < sends; i++)
        {
            if (i > 0) item.Charge();
            item.BeginSend();
        }
        return item;
    }

    /// <summary>The next <paramref name="calls"/> calls of <paramref name="item"/> answered (as failures: no value is needed).</summary>
    public static WorkItem Answer(this WorkItem item, int calls = 1)
    {
        for (var i = 0; i < calls; i++) item.DeliverFailure(new InvalidOperationException("answered"));
        return item;
    }
}
