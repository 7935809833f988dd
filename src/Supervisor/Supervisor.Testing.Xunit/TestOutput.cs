using Xunit.Abstractions;

namespace Supervisor.Testing;

/// <summary>Sends what children print to a test's output, where xunit shows it with the test.</summary>
public static class TestOutput
{
    /// <summary>
    /// A receiver for <see cref="IsolatedOptions.Output"/> (or <see cref="WorkerOptions.Output"/>) that writes each
    /// line, prefixed with the child's name, to <paramref name="output"/>. Lines that arrive after the test ended
    /// are dropped: xunit has nowhere to put them.
    /// </summary>
    public static Action<WorkerOutputLine> To(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return line =>
        {
            try
            {
                output.WriteLine(line.ToString());
            }
            catch (InvalidOperationException)
            {
                // "There is no currently active test": the line came after its test.
            }
        };
    }
}
