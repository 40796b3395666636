"""Benchmarks: `make bench` (never part of `make test`). Results and report in bench/REPORT.md."""
