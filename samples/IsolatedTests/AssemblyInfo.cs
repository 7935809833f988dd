// The leak guard sees every child of the test process: tests that start processes must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
