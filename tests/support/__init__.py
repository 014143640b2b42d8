"""Helpers the tests share: running the CLI, a loopback fixture site, test data paths."""
