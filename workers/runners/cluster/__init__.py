"""The cluster runner: broker, actors, sweeper, worker processes, metrics."""
