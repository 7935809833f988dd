namespace Supervisor;

/// <summary>How a call ended (see <see cref="CallEnded"/>).</summary>
public enum CallStatus
{
    /// <summary>It returned a value.</summary>
    Succeeded,

    /// <summary>
    /// It ended with an error: the function threw, its worker died or timed out past its retries, or the pool broke or
    /// was stopped (<see cref="CallEnded.Error"/> says which).
    /// </summary>
    Failed,

    /// <summary>The caller cancelled it; whatever it did after that was dropped.</summary>
    Cancelled,
}
