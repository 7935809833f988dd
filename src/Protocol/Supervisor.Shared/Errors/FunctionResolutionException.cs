namespace Supervisor;

/// <summary>A function reference does not name a method that may run in a worker.</summary>
public sealed class FunctionResolutionException : Exception
{
    /// <summary>Creates the exception with a message that says what was looked for and what to do.</summary>
    public FunctionResolutionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FunctionResolutionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public FunctionResolutionException() : base("The function could not be resolved.") { }
}
