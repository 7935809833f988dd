using Supervisor.Results;

namespace Supervisor;

/// <summary>A <see cref="WorkerProcess"/> whose target returns <typeparamref name="TResult"/>, and that gives it back.</summary>
/// <typeparam name="TResult">What the target returns (what its task returns, for an asynchronous one).</typeparam>
public sealed class WorkerProcess<TResult> : WorkerProcess
{
    private Task<TResult>? _result;

    /// <summary>Prepares a process that will call <paramref name="target"/> with <paramref name="arguments"/>.</summary>
    /// <param name="target">The function the process runs, e.g. <c>Function.FromDelegate(Work.Square)</c>.</param>
    /// <param name="arguments">Its arguments. Default: none.</param>
    /// <param name="options">How the process is started and ended. Default: <see cref="WorkerOptions"/>' defaults.</param>
    /// <param name="name">The process's name. Default: <c>worker-1</c>.</param>
    public WorkerProcess(Function<TResult> target, Arguments? arguments = null, WorkerOptions? options = null, string? name = null)
        : base(target, arguments, options, name)
    {
    }

    /// <summary>
    /// Prepares a process that will call the method behind <paramref name="target"/> (see
    /// <see cref="Function.FromDelegate{TResult}(Delegate)"/>), e.g. <c>new WorkerProcess&lt;int&gt;(Work.Square, Arguments.Of(3))</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The method's result cannot be read as <typeparamref name="TResult"/>.</exception>
    /// <exception cref="UnserializableValueException"><paramref name="target"/> captures state.</exception>
    public WorkerProcess(Delegate target, Arguments? arguments = null, WorkerOptions? options = null, string? name = null)
        : this(Function.FromDelegate<TResult>(target), arguments, options, name)
    {
    }

    /// <summary>Waits for the target to return and gives its value.</summary>
    /// <exception cref="InvalidOperationException">The process was not started.</exception>
    /// <exception cref="RemoteTaskException">The target threw; the message names the worker and its pid.</exception>
    /// <exception cref="WorkerCrashedException">The process ended before the target returned.</exception>
    public Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) =>
        (_result ?? throw new InvalidOperationException("The process was not started.")).WaitAsync(cancellationToken);

    private protected override (IResultSink Sink, Task Result) NewCall()
    {
        var sink = new CompletionSink<TResult>();
        _result = sink.Task;
        return (sink, sink.Task);
    }
}
