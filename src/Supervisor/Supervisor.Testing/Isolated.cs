using Supervisor.Testing.Running;

namespace Supervisor.Testing;

/// <summary>
/// Runs test code in a fresh child process and gives back its typed result: a static method, or a lambda that
/// captures nothing, e.g. <c>await Isolated.RunAsync(static (int x) =&gt; Compute(x), 42)</c>. Arguments are
/// checked in the caller's thread, as for every pool call. What the child throws (an assertion failure included)
/// comes back as <see cref="IsolatedException"/> with the child's type name, message and stack trace; an exit
/// (<c>Environment.Exit</c>, a crash) as <see cref="IsolatedExitException"/> unless it was
/// <see cref="IsolatedOptions.ExpectedExitCode"/>; a hang past <see cref="IsolatedOptions.Timeout"/> as
/// <see cref="IsolatedTimeoutException"/>. For many isolated calls at a lower cost each, see <see cref="IsolatedPool"/>.
/// </summary>
public static class Isolated
{
    /// <summary>Runs <paramref name="action"/> in a fresh child process.</summary>
    public static Task RunAsync(Action action, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<object?>(Function.FromDelegate(action), Arguments.Of(), options, cancellationToken);

    /// <summary>Runs <paramref name="action"/> with <paramref name="argument"/> in a fresh child process.</summary>
    public static Task RunAsync<T>(Action<T> action, T argument, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<object?>(Function.FromDelegate(action), Arguments.Of(argument), options, cancellationToken);

    /// <summary>Runs <paramref name="action"/> with two arguments in a fresh child process.</summary>
    public static Task RunAsync<T1, T2>(Action<T1, T2> action, T1 first, T2 second, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<object?>(Function.FromDelegate(action), Arguments.Of(first, second), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a fresh child process and returns its result.</summary>
    public static Task<TResult> RunAsync<TResult>(Func<TResult> function, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> with <paramref name="argument"/> in a fresh child process and returns its result.</summary>
    public static Task<TResult> RunAsync<T, TResult>(Func<T, TResult> function, T argument, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(argument), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> with two arguments in a fresh child process and returns its result.</summary>
    public static Task<TResult> RunAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 first, T2 second, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(first, second), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a fresh child process.</summary>
    public static Task RunAsync(Func<Task> function, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<object?>(Function.FromDelegate(function), Arguments.Of(), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a fresh child process and returns its result.</summary>
    public static Task<TResult> RunAsync<TResult>(Func<Task<TResult>> function, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> with <paramref name="argument"/> in a fresh child process and returns its result.</summary>
    public static Task<TResult> RunAsync<T, TResult>(Func<T, Task<TResult>> function, T argument, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<TResult>(Function.FromDelegate(function), Arguments.Of(argument), options, cancellationToken);

    /// <summary>
    /// Runs <paramref name="function"/> (a method found by reflection, or one with bound arguments) with
    /// <paramref name="arguments"/> in a fresh child process and returns its result.
    /// </summary>
    public static Task<TResult> RunAsync<TResult>(Function function, Arguments arguments, IsolatedOptions? options = null, CancellationToken cancellationToken = default) =>
        FreshChild.RunAsync<TResult>(function, arguments, options, cancellationToken);
}
