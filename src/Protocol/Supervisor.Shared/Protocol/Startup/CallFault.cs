namespace Supervisor.Protocol.Startup;

/// <summary>One rule of a fault plan: call number <paramref name="Call"/> (from 1, in every worker) fails as <paramref name="Kind"/> says.</summary>
/// <param name="Call">The call's number, counted across the pool's workers, runs again included.</param>
/// <param name="Kind">What it does instead of running.</param>
/// <param name="ExitCode">The exit code, for <see cref="CallFaultKind.Exit"/>; 0 otherwise.</param>
internal readonly record struct CallFault(int Call, CallFaultKind Kind, int ExitCode);
