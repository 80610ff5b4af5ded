"""Reliability harnesses: SIGKILL crash consistency (and the report in docs/reliability.md)."""
