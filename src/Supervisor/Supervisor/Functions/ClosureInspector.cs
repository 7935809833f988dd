using System.Reflection;
using System.Runtime.CompilerServices;
using Supervisor.Protocol.Serialization;

namespace Supervisor;

/// <summary>
/// Tells a lambda that captures nothing from one that captures state. Only the first can cross a process
/// boundary: the worker runs the method, and captured state would be silently lost.
/// </summary>
internal static class ClosureInspector
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    public static void EnsureCaptureFree(Delegate function)
    {
        var target = function.Target;
        if (target is null) return;
        var type = target.GetType();
        var fields = type.GetFields(InstanceFields);
        // A compiler-generated class without instance fields is the cached holder of lambdas that capture
        // nothing. Anything else is state: a display class holds captured locals; a user type is `this`.
        // Checking field names for '<' would wrongly accept `this` of a class with only auto-properties.
        if (type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false))
        {
            if (fields.Length == 0) return;
            var captured = string.Join(", ", fields.Select(f => CapturedName(f.Name)).OfType<string>());
            throw new UnserializableValueException("function", type,
                $"{Describe(function.Method)} captures {captured}, and captured state cannot cross a process boundary",
                "make the lambda static and pass those values as arguments");
        }
        throw new UnserializableValueException("function", type,
            $"{function.Method.Name} is bound to an instance of {type.Name} (it captures this), and an instance cannot cross a process boundary",
            "use a public static method and pass the data it needs as arguments");
    }

    // Captured `this` is stored as "<>4__this" and captured locals keep their own names; other fields whose
    // names start with '<' are the compiler's caches of sibling lambdas, not the user's state.
    private static string? CapturedName(string field) =>
        field.EndsWith("__this", StringComparison.Ordinal) ? "this" : field.StartsWith('<') ? null : field;

    // "<Main>b__0_1" is the compiler's name for a lambda written inside Main.
    private static string Describe(MethodInfo lambda) =>
        lambda.Name.StartsWith('<') && lambda.Name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end
            ? $"the lambda in {lambda.Name[1..end]}"
            : $"the lambda {lambda.Name}";
}
