namespace Supervisor.Tests.Launcher;

/// <summary>How a launcher process ended, and what it wrote.</summary>
internal sealed record LauncherResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
