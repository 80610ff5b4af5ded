"""Benchmarks of pos_app's hot paths, each against a baseline measured in the same run."""
