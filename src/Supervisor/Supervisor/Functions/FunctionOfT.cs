namespace Supervisor;

/// <summary>
/// A <see cref="Function"/> that returns <typeparamref name="TResult"/> (what its task returns, for an asynchronous
/// one), so that the pool's methods infer the result type.
/// </summary>
/// <typeparam name="TResult">The result each call returns.</typeparam>
public sealed class Function<TResult> : Function
{
    internal Function(Function function)
        : base(function)
    {
    }

    /// <summary>
    /// A copy with <paramref name="parameterName"/> fixed to <paramref name="value"/>, as Python's
    /// <c>functools.partial(fn, exponent=2)</c>, still returning <typeparamref name="TResult"/>.
    /// </summary>
    public new Function<TResult> Bind(string parameterName, object? value) => new(BindCore(parameterName, value));
}
