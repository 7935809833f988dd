namespace Supervisor.Processes;

/// <summary>
/// Serializes the start of worker processes across the whole process. A child inherits every inheritable
/// handle open at the moment it starts; if two workers started at once, each would hold the other's pipe ends,
/// and a dead worker's end of pipe would never be seen. Inside the gate only one worker's ends are
/// inheritable, and the parent closes its copies before leaving.
/// </summary>
/// <remarks>The file descriptor table is process-wide, so this one lock is too: it holds no other state.</remarks>
internal static class ProcessStartGate
{
    public static readonly Lock Lock = new();
}
