return await Supervisor.Worker.WorkerHost.RunAsync(args, [typeof(UserFunctions.Plain).Assembly]);
