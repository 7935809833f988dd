namespace Supervisor.Testing.Running;

/// <summary>One isolated call in a process of its own: started for the call, ended after it.</summary>
internal static class FreshChild
{
    public static async Task<TResult> RunAsync<TResult>(Function function, Arguments arguments, IsolatedOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new IsolatedOptions();
        options.Validate();
        var tail = new OutputTail(options.OutputTailLines, options.Output);
        var pool = await ProcessPool.StartAsync(ChildSetup.ToWorkerOptions(options, tail), cancellationToken).ConfigureAwait(false);
        Task<TResult> call;
        try
        {
            try
            {
                call = pool.SubmitAsync<TResult>(function, arguments, cancellationToken);
            }
            finally
            {
                // Closed at once: the child gets its end of queue behind the call, and a child that dies is not replaced.
                pool.Close();
            }
            await ((Task)call).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            // Disposed before judging: the child's output has then all arrived, for the failure's message.
            await pool.DisposeAsync().ConfigureAwait(false);
        }
        return Verdict.Judge(call, options, tail);
    }
}
