// One test at a time: the tests share two cores with the network's threads, and the busy/queue
// tests reason about a single job in flight.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
