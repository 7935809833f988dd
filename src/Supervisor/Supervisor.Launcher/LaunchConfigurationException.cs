namespace Supervisor.Launcher;

/// <summary>The command line asks for something that cannot run: reported with exit code 2 before any worker starts.</summary>
internal sealed class LaunchConfigurationException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and where.</summary>
    public LaunchConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LaunchConfigurationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a default message.</summary>
    public LaunchConfigurationException() : base("The launch is misconfigured.") { }
}
