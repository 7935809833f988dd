using System.Reflection;
using MessagePack;
using Supervisor.Protocol.Messages;
using Supervisor.Protocol.Serialization;

namespace Supervisor.Worker.Execution;

/// <summary>
/// Binds the arguments of one call to a method's parameters, as Python binds <c>fn(*args)</c> and
/// <c>fn(**data)</c>: each value is read by its parameter's declared type, so no type name ever crosses the
/// wire. Fixed arguments (Python's <c>functools.partial</c>) fill their parameters first. A
/// <see cref="CancellationToken"/> parameter is never sent: it gets the token the supervisor's Cancel message fires.
/// </summary>
internal sealed class ArgumentBinder
{
    private readonly string _function;
    private readonly ParameterInfo[] _parameters;
    private readonly RuntimeTypeSerializer _serializer;
    private readonly object?[] _fixed;
    private readonly bool[] _isFixed;
    private readonly bool[] _isToken;
    private readonly int[] _positionalSlots;
    private readonly object?[] _values;

    public ArgumentBinder(string function, MethodInfo method, ReadOnlyMemory<byte> fixedArguments, RuntimeTypeSerializer serializer)
    {
        _function = function;
        _parameters = method.GetParameters();
        _serializer = serializer;
        _fixed = new object?[_parameters.Length];
        _isFixed = new bool[_parameters.Length];
        _isToken = [.. _parameters.Select(p => p.ParameterType == typeof(CancellationToken))];
        _values = new object?[_parameters.Length];
        if (!fixedArguments.IsEmpty)
        {
            var reader = new MessagePackReader(fixedArguments);
            foreach (var (slot, value) in ReadNamed(ref reader))
            {
                _fixed[slot] = value;
                _isFixed[slot] = true;
            }
        }
        _positionalSlots = Enumerable.Range(0, _parameters.Length).Where(i => !_isFixed[i] && !_isToken[i]).ToArray();
    }

    /// <summary>Reads one call's arguments (the reader is positioned at them) into an argument array.</summary>
    /// <param name="reader">Positioned at the call's arguments.</param>
    /// <param name="mode">Positional or named.</param>
    /// <param name="cancellations">Their running task's token goes to the method's <see cref="CancellationToken"/> parameters.</param>
    /// <exception cref="ArgumentException">Too many or too few arguments, an unknown name, or a value of the wrong type.</exception>
    public object?[] Bind(ref MessagePackReader reader, ArgumentMode mode, TaskCancellations cancellations)
    {
        // One call at a time per worker, and WorkerFunction.Invoke clears the array after each: it is reused.
        var values = _values;
        values.AsSpan().Clear();
        Span<bool> bound = _parameters.Length <= 64 ? stackalloc bool[_parameters.Length] : new bool[_parameters.Length];
        if (mode == ArgumentMode.Positional)
        {
            var count = reader.ReadArrayHeader();
            if (count > _positionalSlots.Length)
            {
                throw new ArgumentException(
                    $"{_function} takes {_positionalSlots.Length} positional argument(s) but {count} were given.");
            }
            for (var i = 0; i < count; i++)
            {
                var slot = _positionalSlots[i];
                values[slot] = ReadValue(ref reader, slot);
                bound[slot] = true;
            }
        }
        else
        {
            foreach (var (slot, value) in ReadNamed(ref reader))
            {
                if (_isFixed[slot])
                {
                    throw new ArgumentException($"{_function} got two values for argument '{_parameters[slot].Name}' (one is fixed).");
                }
                values[slot] = value;
                bound[slot] = true;
            }
        }
        for (var slot = 0; slot < values.Length; slot++)
        {
            if (bound[slot]) continue;
            if (_isToken[slot]) values[slot] = cancellations.Token;
            else if (_isFixed[slot]) values[slot] = _fixed[slot];
            else if (_parameters[slot].HasDefaultValue) values[slot] = _parameters[slot].DefaultValue;
            else throw new ArgumentException($"{_function} is missing argument '{_parameters[slot].Name}'.");
        }
        return values;
    }

    private List<(int Slot, object? Value)> ReadNamed(ref MessagePackReader reader)
    {
        var count = reader.ReadMapHeader();
        var result = new List<(int, object?)>(Math.Min(count, _parameters.Length));
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var slot = Array.FindIndex(_parameters, p => p.Name == name);
            if (slot < 0 || _isToken[slot])
            {
                throw new ArgumentException(
                    $"{_function} got an unexpected argument '{name}'; its parameters are {string.Join(", ", _parameters.Select(p => p.Name))}.");
            }
            if (result.Exists(r => r.Item1 == slot))
            {
                throw new ArgumentException($"{_function} got two values for argument '{name}'.");
            }
            result.Add((slot, ReadValue(ref reader, slot)));
        }
        return result;
    }

    private object? ReadValue(ref MessagePackReader reader, int slot)
    {
        var parameter = _parameters[slot];
        try
        {
            return _serializer.Deserialize(parameter.ParameterType, ref reader);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ArgumentException(
                $"{_function}: argument '{parameter.Name}' cannot be read as {parameter.ParameterType.Name}: {e.InnerException?.Message ?? e.Message}",
                parameter.Name, e);
        }
    }
}
