namespace Supervisor.Encoding;

/// <summary>
/// Checks, before anything is sent, that arguments bind to a function's parameters the way the worker will
/// bind them: positional values fill the parameters not fixed by <see cref="Function.Bind"/>, left to right;
/// named values must name parameters; every parameter without a default gets a value, except a
/// <see cref="CancellationToken"/>, which the worker supplies.
/// </summary>
internal static class ArgumentBinding
{
    public static void Validate(Function function, Arguments arguments)
    {
        // A CancellationToken parameter gets the worker's token for the call: it is never an argument.
        var parameters = function.Parameters.Where(p => p.ParameterType != typeof(CancellationToken)).ToList();
        var bound = new HashSet<string>(function.FixedArguments.Keys, StringComparer.Ordinal);
        if (arguments.Named is { } named)
        {
            foreach (var name in named.Keys)
            {
                if (!parameters.Any(p => p.Name == name))
                {
                    throw new ArgumentException(
                        $"{function.Name} has no parameter '{name}'; its parameters are {string.Join(", ", parameters.Select(p => p.Name))}.");
                }
                if (!bound.Add(name)) throw new ArgumentException($"{function.Name} got two values for argument '{name}' (one is fixed).");
            }
        }
        else
        {
            var free = parameters.Where(p => !bound.Contains(p.Name!)).ToList();
            var count = arguments.Positional!.Count;
            if (count > free.Count)
            {
                throw new ArgumentException($"{function.Name} takes {free.Count} positional argument(s) but {count} were given.");
            }
            foreach (var p in free.Take(count)) bound.Add(p.Name!);
        }
        var missing = parameters.Where(p => !p.HasDefaultValue && !bound.Contains(p.Name!)).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{function.Name} is missing argument(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
        }
    }
}
