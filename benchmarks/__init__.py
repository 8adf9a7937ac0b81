"""Benchmark of `fazhi run` on synthetic inboxes (see benchmarks/README.md)."""
