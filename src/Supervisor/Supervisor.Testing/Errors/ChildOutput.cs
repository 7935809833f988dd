namespace Supervisor.Testing;

/// <summary>Appends a child's last output lines to a failure's message.</summary>
internal static class ChildOutput
{
    public static string Append(string message, IReadOnlyList<string> tail) => tail.Count == 0
        ? message
        : $"{message}{Environment.NewLine}--- the child's last {tail.Count} output lines ---{Environment.NewLine}{string.Join(Environment.NewLine, tail)}";
}
