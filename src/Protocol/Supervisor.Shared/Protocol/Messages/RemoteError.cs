namespace Supervisor.Protocol.Messages;

/// <summary>
/// An exception thrown in another process, as text. The type is a name to read, never a type to load.
/// </summary>
/// <param name="Type">The remote exception's full type name, e.g. <c>System.DivideByZeroException</c>.</param>
/// <param name="Message">The remote exception's message.</param>
/// <param name="StackTrace">The remote stack trace, possibly empty.</param>
internal sealed record RemoteError(string Type, string Message, string StackTrace)
{
    /// <summary>Describes a local exception for the wire.</summary>
    public static RemoteError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace ?? "");
    }
}
