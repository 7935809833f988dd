namespace Supervisor.Supervision;

/// <summary>What becomes of a task a dead worker held (see <see cref="RecoveryPolicy"/>).</summary>
internal enum TaskFate
{
    /// <summary>Not to blame: back to the front of the queue, the attempt not counted.</summary>
    Requeue,

    /// <summary>Maybe to blame, which is unknown: back without losing an attempt, to run alone and report each call (see <see cref="Dispatch.WorkItem.Suspect"/>).</summary>
    RequeueAsSuspect,

    /// <summary>Its next call was running and is charged the crash; it has retries left, so the task goes back.</summary>
    Retry,

    /// <summary>Its next call was running, is charged the crash and is out of retries: that call fails, the rest of the task goes back.</summary>
    FailCall,

    /// <summary>The pool is stopping: every call without an outcome fails.</summary>
    Fail,

    /// <summary>The caller cancelled it and has its answer: it is let go.</summary>
    Drop,
}
