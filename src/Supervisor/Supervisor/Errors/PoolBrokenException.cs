namespace Supervisor;

/// <summary>
/// The pool gave up: workers crashed more often than <see cref="WorkerOptions.MaxRestarts"/> allows, or a
/// replacement could not start. Waiting calls fail with it, and so do new ones; start a new pool.
/// </summary>
public sealed class PoolBrokenException : Exception
{
    /// <summary>Creates the exception with what broke the pool.</summary>
    public PoolBrokenException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the last failure.</summary>
    public PoolBrokenException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public PoolBrokenException() : base("The pool is broken.") { }
}
