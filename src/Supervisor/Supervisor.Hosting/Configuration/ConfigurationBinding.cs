namespace Supervisor.Hosting.Configuration;

/// <summary>Which configuration section a pool's options were bound from, so that an error can name the key.</summary>
/// <param name="OptionsType">The options' type (a pool's and a queue's may share a name).</param>
/// <param name="Name">The pool's name.</param>
/// <param name="SectionPath">e.g. <c>Supervisor:Pools:images</c>.</param>
internal sealed record ConfigurationBinding(Type OptionsType, string Name, string SectionPath);
