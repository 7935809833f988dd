using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;
using MessagePack.Formatters;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Worker.Execution;

/// <summary>
/// The fast path of a one-parameter function called with one positional argument, Python's <c>map(fn, items)</c>:
/// the argument is read by its type's formatter and the method is called through a typed delegate, so neither the
/// argument nor the result is boxed and no argument array is filled. Anything else (named arguments, fixed ones,
/// a token, an asynchronous method) goes through <see cref="ArgumentBinder"/> and reflection.
/// </summary>
internal abstract class SingleArgumentCall
{
    /// <summary>The fast path for <paramref name="method"/>, or null when it does not have the shape or the runtime cannot make one.</summary>
    public static SingleArgumentCall? TryCreate(MethodInfo method, object? target, MessagePackSerializerOptions options)
    {
        // A generic type over the user's types is made at run time: NativeAOT cannot.
        if (!RuntimeFeature.IsDynamicCodeSupported) return null;
        var parameters = method.GetParameters();
        if (parameters.Length != 1) return null;
        var argument = parameters[0].ParameterType;
        var result = method.ReturnType;
        if (!IsPlain(argument) || argument == typeof(CancellationToken)) return null;
        if (!IsPlain(result) || result == typeof(void) || typeof(Task).IsAssignableFrom(result)) return null;
        try
        {
            var type = typeof(SingleArgumentCall<,>).MakeGenericType(argument, result);
            return (SingleArgumentCall)Activator.CreateInstance(type, method, target, options)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException or FormatterNotRegisteredException or MessagePackSerializationException)
        {
            // No formatter for the argument, or no delegate for the method: the general path reports it per call.
            return null;
        }
    }

    /// <summary>
    /// Reads the call's arguments from <paramref name="call"/> and runs the method, keeping its result; false, with
    /// nothing run, when they are not exactly one value of the parameter's type (the general binder then says why).
    /// The user's exception propagates as is.
    /// </summary>
    public abstract bool TryCall(MessagePackReader call);

    /// <summary>Whether the argument and the result are primitives that <see cref="PrimitiveCodec{T}"/> reads and writes.</summary>
    public abstract bool IsPrimitive { get; }

    /// <summary>
    /// Reads the next call's argument at <paramref name="position"/> when the call is exactly one primitive of the
    /// parameter's type, and moves past it; false, with <paramref name="position"/> unchanged, when it is not (the
    /// general path then reads it). Only when <see cref="IsPrimitive"/>.
    /// </summary>
    public abstract bool TryReadPrimitiveCall(ReadOnlySpan<byte> bytes, ref int position);

    /// <summary>Runs the call read by <see cref="TryReadPrimitiveCall"/>, keeping its result. The user's exception propagates as is.</summary>
    public abstract void RunReadCall();

    /// <summary>Writes the last result at the start of <paramref name="destination"/> (at least <see cref="PrimitiveCodec{T}.MaxBytes"/> long); returns its length.</summary>
    public abstract int WritePrimitiveResult(Span<byte> destination);

    /// <summary>Checks and writes the result of the last call.</summary>
    /// <exception cref="UnserializableValueException">The result cannot cross.</exception>
    public abstract void WriteResult(ref MessagePackWriter writer, SerializabilityChecker checker);

    /// <summary>Lets go of the last result.</summary>
    public abstract void ClearResult();

    private static bool IsPlain(Type type) => !type.IsByRef && !type.IsPointer && !type.IsByRefLike && !type.ContainsGenericParameters;
}
