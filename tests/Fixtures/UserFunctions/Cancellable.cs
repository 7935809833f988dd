namespace UserFunctions;

/// <summary>Calls that run until they are cancelled, or forever; each leaves a marker file once it runs.</summary>
public static class Cancellable
{
    /// <summary>Cooperative: waits on its token and ends with OperationCanceledException when it fires.</summary>
    public static int RunUntilCancelled(string marker, CancellationToken cancellationToken)
    {
        File.WriteAllText(marker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        while (!cancellationToken.IsCancellationRequested) cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Not cooperative: it takes no token and never returns.</summary>
    public static int IgnoreCancellation(string marker)
    {
        File.WriteAllText(marker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
}
