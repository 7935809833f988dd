namespace Supervisor;

/// <summary>
/// How a worker process comes to life, named after Python's start methods. A running .NET runtime cannot be
/// forked, so each is mirrored by its semantics (see docs/python-model.md).
/// </summary>
public enum StartMethod
{
    /// <summary>A fresh process that receives only the function reference, the initializer and the arguments.</summary>
    Spawn,

    /// <summary>A fresh process that also receives a snapshot of the state the parent declared inheritable.</summary>
    Fork,

    /// <summary>Warm, pre-started workers handed out on demand.</summary>
    Forkserver,
}
