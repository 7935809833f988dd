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

    /// <summary>
    /// Takes as many as it can of the <paramref name="count"/> values at <paramref name="values"/>, the results of calls
    /// <paramref name="index"/> on, moving the reader past them, and returns how many; the rest go through
    /// <see cref="OnResult"/> one by one. A sink that reads value by value takes none.
    /// </summary>
    int TakeRun(int index, ref MessagePackReader values, int count) => 0;

    /// <summary>Call <paramref name="index"/> failed, remotely or because its worker died.</summary>
    void OnFailure(int index, Exception error);
}
