using Supervisor;

namespace SharingFunctions;

/// <summary>Functions that ask which worker runs them.</summary>
public static class Identity
{
    /// <summary>The running worker's name, id and process id, as <see cref="WorkerContext.Current"/> gives them.</summary>
    public static string WhoRunsMe(int call)
    {
        var worker = WorkerContext.Current ?? throw new InvalidOperationException("No WorkerContext in a worker.");
        return $"{call}:{worker.Name}:{worker.Id}:{worker.ProcessId}";
    }

    /// <summary>Fails, so that the caller can see which worker it failed in.</summary>
    public static int Fail(int call) => throw new InvalidOperationException($"call {call} fails on purpose");
}
