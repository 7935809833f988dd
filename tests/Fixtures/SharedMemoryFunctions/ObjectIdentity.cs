using Supervisor.SharedMemory;

namespace SharedMemoryFunctions;

/// <summary>
/// Python experiment 000, "Shared Memory vs Passed Resource vs Global Resource": a global, a passed value and an
/// mp.Value(c_bool, True), each changed in the child.
/// </summary>
public static class ObjectIdentity
{
    public static int GlobalA = 10;

    /// <summary>A shared value held in a global, as Python's docs suggest for fork ("a shared resource created in a parent").</summary>
    public static SharedValue<bool>? SharedGlobal;

    /// <summary>Sets the inherited shared global false; returns what it was.</summary>
    public static bool ClearSharedGlobal(int ignored)
    {
        var was = SharedGlobal!.Value;
        SharedGlobal.Value = false;
        return was;
    }

    /// <summary>Python's show_object_identity: changes all three and reports what it saw before and after.</summary>
    public static string ShowObjectIdentity(double passB, SharedValue<bool> sharedC)
    {
        var before = $"global_a={GlobalA}, pass_b={passB}, shared_c={sharedC}";
        GlobalA = 5;
        passB = 1;
        sharedC.Value = false;
        return $"{before} -> global_a={GlobalA}, pass_b={passB}, shared_c={sharedC}";
    }
}
