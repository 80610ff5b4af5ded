"""Developer tools: the local Worker runner and the organiser's admin client (tests, benchmarks)."""
