using Microsoft.Extensions.Options;

namespace Supervisor.Hosting.Configuration;

/// <summary>
/// Checks a pool's options as the pool itself would as it starts, but when the host starts (<c>ValidateOnStart</c>),
/// before any worker does; a failure names the configuration key the value came from, when it came from one.
/// </summary>
internal sealed class WorkerOptionsValidator<TOptions>(IEnumerable<ConfigurationBinding> bindings) : IValidateOptions<TOptions>
    where TOptions : WorkerOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            var option = e.ParamName ?? "?";
            var value = e is ArgumentOutOfRangeException { ActualValue: { } actual } ? actual : typeof(TOptions).GetProperty(option)?.GetValue(options);
            // ArgumentException appends "(Parameter 'x')" and "Actual value was y."; the key and the value are said here.
            var reason = e.Message.Split(" (Parameter '", 2)[0];
            var binding = bindings.LastOrDefault(b => b.OptionsType == typeof(TOptions) && b.Name == (name ?? Options.DefaultName));
            var where = binding is null ? $"{typeof(TOptions).Name}.{option} of pool '{name}'" : $"{binding.SectionPath}:{option}";
            return ValidateOptionsResult.Fail($"{where} = '{value}': {reason}");
        }
    }
}
