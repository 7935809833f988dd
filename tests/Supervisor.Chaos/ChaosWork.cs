namespace Supervisor.Chaos;

/// <summary>The functions chaos tasks run in the workers.</summary>
public static class ChaosWork
{
    /// <summary>Runs one chaos task: a normal one takes <paramref name="milliseconds"/> (the work) and returns twice its item.</summary>
    public static long Run(long item, ChaosKind kind, int milliseconds)
    {
        switch (kind)
        {
            case ChaosKind.Poison:
                Crash(item);
                return -1;
            case ChaosKind.Hang:
                Thread.Sleep(Timeout.Infinite);
                return -1;
            default:
                if (milliseconds > 0) Thread.Sleep(milliseconds);
                return item * 2;
        }
    }

    private static void Crash(long item)
    {
        switch (item % 3)
        {
            case 0:
                Environment.FailFast($"poison task {item}");
                break;
            case 1:
                Recurse(item);
                break;
            default:
                // A read through a null pointer in managed code becomes a NullReferenceException; a call through a
                // null native function pointer is a real native crash (SIGSEGV).
                Console.Error.WriteLine($"poison task {item}: calling a null native function");
                unsafe
                {
                    ((delegate* unmanaged<void>)IntPtr.Zero)();
                }
                break;
        }
    }

    private static long Recurse(long depth) => depth == long.MinValue ? 0 : Recurse(depth + 1) + 1;
}
