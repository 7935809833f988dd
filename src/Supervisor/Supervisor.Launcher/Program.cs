using Supervisor.Launcher;

// supervisor: JSON lines in, one call each through a pool of workers, JSON lines out.
return await LauncherCommand.InvokeAsync(args);
