return await Supervisor.Worker.WorkerHost.RunAsync(args);
