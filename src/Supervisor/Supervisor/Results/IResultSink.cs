using MessagePack;

namespace Supervisor.Results;

/// <summary>
/// Where the outcomes of the calls of a submission go: a task's completion, a map's array, an imap's stream.
/// Called on a worker connection's reader; must not block and must not throw.
/// </summary>
internal interface IResultSink
{
    /// <summary>Call <paramref name="index"/> returned; its value is at <paramref name="value"/>, to be read now.</summary>
    void OnResult(int index, ref MessagePackReader value);

    /// <summary>Call <paramref name="index"/> failed, remotely or because its worker died.</summary>
    void OnFailure(int index, Exception error);
}
