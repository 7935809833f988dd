namespace Supervisor.Launcher;

/// <summary>The launcher's exit codes (the README lists them).</summary>
internal static class ExitCodes
{
    /// <summary>Every call succeeded.</summary>
    public const int Success = 0;

    /// <summary>At least one call failed (or its line was malformed), or the run could not go on.</summary>
    public const int Failed = 1;

    /// <summary>A usage or configuration error, reported before any worker started.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (SIGINT), as shells report it (128 + 2).</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM, as shells report it (128 + 15).</summary>
    public const int Terminated = 143;
}
